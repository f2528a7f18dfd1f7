// Reads the counts out of a `jest --json --outputFile` report. A suite that failed without any failed
// test (e.g. it did not compile, or a beforeAll threw) counts as one failure.
import { existsSync, readFileSync } from "node:fs";

/** @returns {{ passed: number, failed: number, failedSuites: string[] } | null} null when no report was written */
export function readJestReport(file) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, "utf8"));
  const crashedSuites = report.testResults.filter(
    (s) => s.status === "failed" && !s.assertionResults.some((a) => a.status === "failed"),
  );
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + crashedSuites.length,
    failedSuites: report.testResults.filter((s) => s.status === "failed").map((s) => s.name),
  };
}
