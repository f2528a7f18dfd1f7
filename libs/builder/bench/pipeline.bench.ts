// `npm run bench:pipeline`: how much of bare inference throughput the atlas build's streaming pass keeps, on the
// built-in model and the default dataset (as `npm start` / bench:build build them). Side by side in one run:
// (a) bare inference: runner.runPixels / runTokens with exactly the hooks and SAEs of the default build, its batch
//     size and thread settings, on preprocessed inputs reused call after call (measured before and after (b));
// (b) the build's pass: examples/s of a real default build (read → decode → inference → accumulators → checkpoint).
// Prints ratio b/a (goal ≥ 0.5), the pass's time per step (steps overlap: the model runs batch i+1 while batch i
// is fed), and as context the CPU seconds of (a) and (b) (less sensitive to other processes on a shared machine);
// writes artifacts/bench/pipeline.json.
import { execSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { buildDefaultAtlas, type JobProgress } from "../src";
import { parseBuildParams } from "../src/params";
import { migrateDatabase, openDatabase, repoRoot, type PrismaClient } from "@mmatlas/db";
import { openModelRunner } from "../src/run/atlas-build";
import { countTowerExamples, examplePixels, exampleTokens, readExamples } from "../src/pass/examples";
import { towerRequest } from "../src/pass/run-batch";
import { resolveBuildPlan, type TowerName } from "../src/plan/build-plan";

const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 3000);
const uptime = () => {
  try {
    return execSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return `loadavg ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`;
  }
};

/** bare inference examples/s of the default build's model calls, weighted by the towers' example counts */
async function bareInference(prisma: PrismaClient, modelId: string, datasetId: string, rawParams: unknown) {
  const params = parseBuildParams(rawParams);
  const model = await prisma.model.findUniqueOrThrow({ where: { id: modelId } });
  const runner = await openModelRunner(prisma, model);
  try {
    const plan = await resolveBuildPlan(prisma, runner, model, params.hooks, params.dictionaries, params.maxUnits);
    const perTower: Record<
      string,
      { examples: number; batch: number; examplesPerSecond: number; hooks: string[]; saes: string[] }
    > = {};
    let seconds = 0,
      examples = 0,
      cpuSeconds = 0;
    for (const tower of plan.towers) {
      const { hooks, saes } = towerRequest(plan.sets.filter((s) => s.tower === tower));
      const rows = await readExamples(prisma, datasetId, tower, -1, params.batchSize);
      const opts = { saes, batchSize: params.batchSize };
      const call =
        tower === "VISION"
          ? (() => {
              const pixels = examplePixels(runner, rows);
              return () => runner.runPixels(pixels, hooks, opts);
            })()
          : (() => {
              const tokens = exampleTokens(runner, rows);
              return () => runner.runTokens(tokens, hooks, opts);
            })();
      await call();
      await call(); // session creation + warm-up
      let n = 0;
      const t0 = performance.now(),
        c0 = process.cpuUsage();
      do {
        await call();
        n++;
      } while (performance.now() - t0 < ROUND_MS);
      const rate = (n * rows.length * 1000) / (performance.now() - t0);
      const cpu = process.cpuUsage(c0);
      const count = await countTowerExamples(prisma, datasetId, tower as TowerName);
      perTower[tower] = { examples: count, batch: rows.length, examplesPerSecond: rate, hooks, saes };
      seconds += count / rate;
      cpuSeconds += (count * (cpu.user + cpu.system)) / 1e6 / (n * rows.length);
      examples += count;
    }
    return { examplesPerSecond: examples / seconds, cpuSecondsPerPass: cpuSeconds, perTower };
  } finally {
    await runner.close();
  }
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "mmatlas-bench-pipeline-"));
  try {
    await migrateDatabase({ pgliteDir: dir });
    const db = await openDatabase({ pgliteDir: dir });
    const loadBefore = uptime();
    // CPU time of this process over the pass: from its first "pass" progress event to its first "finalize" one
    const passCpu = () => {
      let start: NodeJS.CpuUsage | null = null,
        seconds: number | null = null;
      return {
        onProgress: (p: JobProgress) => {
          if (p.phase === "pass" && !start) start = process.cpuUsage();
          if (p.phase === "finalize" && start && seconds === null) {
            const u = process.cpuUsage(start);
            seconds = (u.user + u.system) / 1e6;
          }
        },
        seconds: () => seconds ?? NaN,
      };
    };
    // the build ingests the rows (a) reads, so each (a) runs right after its build (b); two pairs side by side
    const cpu1 = passCpu();
    const result = await buildDefaultAtlas(db.prisma, { onProgress: cpu1.onProgress });
    const job = result.job!;
    if (job.status !== "SUCCEEDED") throw new Error(`the default build ended ${job.status}: ${job.error}`);
    const bareA = await bareInference(db.prisma, result.modelId, result.datasetId, job.params);
    const cpu2 = passCpu();
    const again = await buildDefaultAtlas(db.prisma, { force: true, onProgress: cpu2.onProgress }); // a fresh job over the same rows
    if (again.job?.status !== "SUCCEEDED")
      throw new Error(`the second build ended ${again.job?.status}: ${again.job?.error}`);
    const bareB = await bareInference(db.prisma, result.modelId, result.datasetId, job.params);
    const passCpuSeconds = [cpu1.seconds(), cpu2.seconds()];
    const bareCpuSeconds = [bareA.cpuSecondsPerPass, bareB.cpuSecondsPerPass];
    await db.close();

    const metrics = [job, again.job!].map(
      (j) => j.metrics as { timings: Record<string, number>; examplesPerSecond: number; examplesTotal: number },
    );
    const passRates = metrics.map((m) => m.examplesPerSecond);
    const bare = [bareA.examplesPerSecond, bareB.examplesPerSecond];
    const ratios = passRates.map((b, i) => b / bare[i]);
    const ratio = (ratios[0] + ratios[1]) / 2;
    const steps = Object.keys(metrics[1].timings).filter((k) => k.startsWith("pass."));
    const stepSeconds = Object.fromEntries(steps.map((k) => [k.slice(5), metrics.map((m) => m.timings[k] ?? 0)]));
    const passSeconds = metrics.map((m) => m.examplesTotal / m.examplesPerSecond);

    const rows: [string, string][] = [
      ["examples per pass", String(metrics[0].examplesTotal)],
      ...Object.entries(bareA.perTower).map(([t, v]): [string, string] => [
        `(a) bare inference ${t} (batch ${v.batch}, ${v.hooks.length} hooks + ${v.saes.length} SAEs)`,
        `${v.examplesPerSecond.toFixed(0)} / ${bareB.perTower[t].examplesPerSecond.toFixed(0)} examples/s`,
      ]),
      ["(a) bare inference, weighted by tower", `${bare.map((x) => x.toFixed(0)).join(" / ")} examples/s`],
      [
        "(b) build pass",
        `${passRates.map((x) => x.toFixed(0)).join(" / ")} examples/s (${passSeconds.map((s) => s.toFixed(2)).join(" / ")} s)`,
      ],
      [
        "ratio b/a (goal ≥ 0.5)",
        `${ratios.map((r) => r.toFixed(3)).join(" / ")}  → mean ${ratio.toFixed(3)}${ratio >= 0.5 ? "" : " (BELOW the goal)"}`,
      ],
      [
        "CPU seconds: bare inference (a) / pass (b), context",
        `${bareCpuSeconds.map((x) => x.toFixed(2)).join(" / ")} | ${passCpuSeconds.map((x) => x.toFixed(2)).join(" / ")} s (ratio a/b ${bareCpuSeconds.map((x, i) => (x / passCpuSeconds[i]).toFixed(3)).join(" / ")})`,
      ],
      ...Object.entries(stepSeconds).map(([k, v]): [string, string] => [
        `  pass step: ${k}`,
        `${v.map((s) => s.toFixed(3)).join(" / ")} s`,
      ]),
      ["load before / after", `${loadBefore} | ${uptime()}`],
      ["CPU cores", String(cpus().length)],
    ];
    console.log("two runs (build 1 / build 2); each (a) is measured right after its build");
    const w = Math.max(...rows.map((r) => r[0].length));
    for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
    const out = path.join(repoRoot(), "artifacts", "bench", "pipeline.json");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          goal: 0.5,
          ratio,
          ratios,
          passExamplesPerSecond: passRates,
          bareExamplesPerSecond: bare,
          bareByTower: [bareA.perTower, bareB.perTower],
          passSeconds,
          passStepSeconds: stepSeconds,
          passCpuSeconds,
          bareCpuSeconds,
          examples: metrics[0].examplesTotal,
          cpus: cpus().length,
          load: uptime(),
          at: new Date().toISOString(),
        },
        null,
        2,
      )}\n`,
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
