// Public surfaces of the libs: what each lib entry (`@mmatlas/<x>`, `@mmatlas/<x>/<subpath>`) exports, and
// which of those names other projects import. Keeps a reviewed report per lib, libs/<x>/api-surface.txt.
// `npm run api-surface -- <flag>` runs `tsx tools/scripts/api-surface.ts <flag>`:
//   (no flag)  table per entry: exported / used outside the lib / needed by their signatures / other
//   --names    also list the "other" names (candidates to drop)
//   --check    fail (exit 1) when the exports differ from the reports, or an entry file uses `export *`;
//              lists the differences (a step of npm test)
//   --update   rewrite the reports from the current exports
import path from "node:path";
import { findLibs } from "./api-surface/lib-entries";
import { readSurfaces, surfaceProblems, updateReports, reportPath, type LibSurface } from "./api-surface/surfaces";
import { signatureTypeNames } from "./api-surface/signature-types";
import { scanUsage, usedOutside } from "./api-surface/usage";

const ROOT = path.resolve(__dirname, "..", "..");

function check(surfaces: LibSurface[]): boolean {
  let ok = true;
  for (const s of surfaces) {
    const problems = surfaceProblems(ROOT, s);
    if (problems.length === 0) continue;
    ok = false;
    console.log(`${s.lib.packageName} (${path.relative(ROOT, reportPath(s.lib))}):`);
    for (const p of problems) console.log(`  ${p}`);
  }
  if (ok) console.log(`api-surface: the exports of ${surfaces.length} libs match their reports.`);
  else
    console.log(
      "api-surface: exports differ from the reviewed reports. If intended: npm run api-surface -- --update, and review the diff.",
    );
  return ok;
}

/** Per entry: names exported, imported by other projects, needed only by those names' signatures, and the
 *  rest (candidates to drop; "own" when the lib's own files import them through the entry). */
function printUsage(surfaces: LibSurface[], withNames: boolean): void {
  const usage = scanUsage(
    ROOT,
    surfaces.map((s) => s.lib),
  );
  const rows: string[][] = [["entry", "exported", "used outside", "for signatures", "other"]];
  const totals = [0, 0, 0, 0];
  const details: string[] = [];
  for (const { lib, surface, program } of surfaces) {
    for (const [specifier, names] of surface) {
      const entryUsage = usage.get(specifier);
      const used = new Set(
        usedOutside(
          names.map((n) => n.name),
          entryUsage,
        ),
      );
      const entryFile = lib.entries.find((e) => e.specifier === specifier)!.file;
      const forSignatures = new Set(signatureTypeNames(program, entryFile, used));
      const other = names.filter((n) => !used.has(n.name) && !forSignatures.has(n.name));
      const counts = [names.length, used.size, forSignatures.size, other.length];
      counts.forEach((c, i) => (totals[i] += c));
      rows.push([specifier, ...counts.map(String)]);
      const listed = other.map((n) => `${n.kind} ${n.name}${entryUsage?.own.has(n.name) ? " (own)" : ""}`);
      if (withNames && listed.length > 0)
        details.push(`${specifier}: neither used outside the lib nor in a signature:\n  ${listed.join("\n  ")}`);
    }
  }
  rows.push(["total", ...totals.map(String)]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
  if (details.length > 0) console.log(`\n${details.join("\n")}`);
}

function main(): void {
  const args = new Set(process.argv.slice(2));
  const surfaces = readSurfaces(ROOT, findLibs(path.join(ROOT, "libs")));
  if (args.has("--update"))
    for (const file of updateReports(surfaces)) console.log(`wrote ${path.relative(ROOT, file)}`);
  else if (args.has("--check")) process.exitCode = check(surfaces) ? 0 : 1;
  else printUsage(surfaces, args.has("--names"));
}

main();
