// `npm run bench:build`: builds the default atlas exactly as a first `npm start` does (fresh PGlite folder,
// migrate, register the built-in model, ingest the default dataset, build), prints a table of the phases and
// writes artifacts/bench/build.json. Target: ≤ 180 s on 2 cores.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { buildDefaultAtlas, type JobProgress } from "../src";
import { migrateDatabase, openDatabase, repoRoot } from "@mmatlas/db";

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "mmatlas-bench-atlas-"));
  const t0 = Date.now();
  try {
    await migrateDatabase({ pgliteDir: dir });
    const db = await openDatabase({ pgliteDir: dir });
    const tMigrated = Date.now();
    let passStart = 0;
    const result = await buildDefaultAtlas(db.prisma, {
      onProgress: (p: JobProgress) => {
        if (!passStart && p.phase === "pass") passStart = Date.now();
      },
    });
    const total = (Date.now() - t0) / 1000;
    await db.close();
    const metrics = (result.job?.metrics ?? {}) as {
      timings?: Record<string, number>;
      examplesPerSecond?: number;
      peakRssMb?: number;
      units?: number;
      examplesTotal?: number;
    };
    const rows: [string, string][] = [
      ["total (migrate + register + ingest + build)", `${total.toFixed(1)} s`],
      ["migrate", `${((tMigrated - t0) / 1000).toFixed(1)} s`],
      ["register model + ingest dataset", `${((passStart - tMigrated) / 1000).toFixed(1)} s`],
      ...Object.entries(metrics.timings ?? {}).map(([k, v]): [string, string] => [k.replace("Seconds", ""), `${v} s`]),
      ["examples", String(metrics.examplesTotal)],
      ["units", String(metrics.units)],
      ["pass throughput", `${metrics.examplesPerSecond} examples/s`],
      ["peak RSS", `${metrics.peakRssMb} MB`],
      ["CPU cores", String(cpus().length)],
      ["status", `${result.job?.status}${total <= 180 ? " (within the 180 s target)" : " (OVER the 180 s target)"}`],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
    const out = path.join(repoRoot(), "artifacts", "bench", "build.json");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify({ totalSeconds: total, targetSeconds: 180, status: result.job?.status, ...metrics, cpus: cpus().length, at: new Date().toISOString() }, null, 2)}\n`,
    );
    console.log(`wrote ${path.relative(repoRoot(), out)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
