// bench:probe-lens — latency of the live probe on the built-in model with and without the logit lens, side by
// side: the same inputs (an image or a text, a unit and its layer's top-10), alternating lens off / on, in-process
// and (images) through the GraphQL HTTP endpoint with the lens grid selected. Prints p50/p95 per series.
// Usage: npm run bench:probe-lens (PROBE_BENCH_N, default 200). Writes artifacts/bench/probe-lens.json (with the load).
import "reflect-metadata";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { registerModelFromManifest } from "@mmatlas/catalog";
import { repoRoot } from "@mmatlas/db";
import { createTestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir, COLORS, SHAPES } from "@mmatlas/model-zoo";
import { probe, probeRegistryFor } from "@mmatlas/probe";
import { createMemoryRateLimiter, rateLimitConfigFromEnv } from "@mmatlas/ratelimit";
import { startApiServer } from "../../apps/api/src/server";
import { lcg, sceneImage } from "./lib/probe-images";
import { quantile } from "./lib/report";

const N = Number(process.env.PROBE_BENCH_N ?? 200);
const WARMUP = 20;
const MLP = "vision.blocks.1.mlp.hook_post";
const TEXT_MLP = "text.blocks.1.mlp.hook_post";

async function main(): Promise<void> {
  const db = await createTestDatabase();
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  for (const name of [MLP, TEXT_MLP]) {
    const hook = await db.prisma.hookPoint.findFirstOrThrow({ where: { modelId: model.id, name } });
    await db.prisma.unit.createMany({
      data: Array.from({ length: hook.width }, (_, index) => ({
        slug: `${model.name}/${name}/neuron/${index}`,
        modelId: model.id,
        hookPointId: hook.id,
        kind: "NEURON" as const,
        index,
      })),
    });
  }
  await probeRegistryFor(db.prisma).warm(model.id);
  const limits = rateLimitConfigFromEnv();
  const api = await startApiServer({
    port: 0,
    prisma: db.prisma,
    rateLimit: {
      limiter: createMemoryRateLimiter(),
      config: { ...limits, exemptIps: [...limits.exemptIps, "127.0.0.1", "::1", "::ffff:127.0.0.1"] },
    },
  });
  const BASE = `gridSize tokens latencyMs unit { value values } topUnits { index value unit { id slug } }`;
  const LENS = `logitLens { available layers { layer hookPoint } gridRows gridCols prefix cells { texts scores } embeddingCosine }`;
  const http = async (input: Record<string, unknown>, lens: boolean) => {
    const res = await fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `query($i: ProbeInput!) { probe(input: $i) { ${BASE} ${lens ? LENS : ""} } }`,
        variables: { i: input },
      }),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };
  const texts = Array.from({ length: N + WARMUP }, (_, i) => `a ${COLORS[i % 6]} ${SHAPES[i % 5]} on the left`);
  const img = (i: number) => ({
    modelId: model.id,
    image: sceneImage(i, lcg(1000 + i)),
    unitId: `${model.name}/${MLP}/neuron/${i % 256}`,
    hookPointId: MLP,
    topN: 10,
  });
  const txt = (i: number) => ({
    modelId: model.id,
    text: texts[i],
    unitId: `${model.name}/${TEXT_MLP}/neuron/${i % 256}`,
    hookPointId: TEXT_MLP,
    topN: 10,
  });
  const series: Record<string, number[]> = {};
  const time = async (name: string, f: () => Promise<unknown>, record: boolean) => {
    const t = performance.now();
    await f();
    if (record) (series[name] ??= []).push(performance.now() - t);
  };
  for (let i = 0; i < N + WARMUP; i++) {
    const rec = i >= WARMUP;
    for (const lens of i % 2 ? [true, false] : [false, true]) {
      const tag = lens ? "lens on " : "lens off";
      await time(`image in-process ${tag}`, () => probe(db.prisma, { ...img(i), logitLens: lens }), rec);
      await time(`text in-process  ${tag}`, () => probe(db.prisma, { ...txt(i), logitLens: lens }), rec);
      await time(`image HTTP       ${tag}`, () => http({ ...img(i), logitLens: lens }, lens), rec);
    }
  }
  console.log(`N=${N} per series (after ${WARMUP} warm-up rounds), alternating lens off/on`);
  console.log("series                         p50 ms   p95 ms");
  const rows = Object.entries(series)
    .sort()
    .map(([name, ms]) => {
      const s = [...ms].sort((a, b) => a - b);
      return { series: name.trim(), n: s.length, p50: quantile(s, 0.5), p95: quantile(s, 0.95) };
    });
  for (const r of rows)
    console.log(`${r.series.padEnd(30)} ${r.p50.toFixed(2).padStart(7)} ${r.p95.toFixed(2).padStart(8)}`);
  const out = path.join(repoRoot(), "artifacts", "bench", "probe-lens.json");
  mkdirSync(path.dirname(out), { recursive: true });
  const load = os.loadavg().map((l) => Number(l.toFixed(2)));
  writeFileSync(
    out,
    `${JSON.stringify({ bench: "probe-lens", date: new Date().toISOString(), n: N, load, rows }, null, 2)}\n`,
  );
  console.log(`load (1/5/15 min): ${load.join(" / ")}; wrote ${path.relative(repoRoot(), out)}`);
  await api.close();
  await probeRegistryFor(db.prisma).close();
  await db.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
