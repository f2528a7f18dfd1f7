// bench:probe — latency of the live probe on the built-in model (CPU): p50/p95/p99 over ≥200 image and ≥200
// text probes, and ≥200 steering probes (probeSteer: plain + steered run, 30 zero-shot classes and the nearest
// of the default dataset's captions; neurons and SAE features alternating), in-process and through the GraphQL
// HTTP endpoint, all interleaved in one run. Goal: p95 < 100 ms.
// Prints a table and writes artifacts/bench/probe.json (with the machine load, which is shared).
import "reflect-metadata";
import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { registerModelFromManifest } from "@mmatlas/catalog";
import { repoRoot } from "@mmatlas/db";
import { createTestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir, generateCaptionCorpus } from "@mmatlas/model-zoo";
import { probe, probeSteer, ProbeRegistry, probeRegistryFor } from "@mmatlas/probe";
import { createMemoryRateLimiter, rateLimitConfigFromEnv } from "@mmatlas/ratelimit";
import { startApiServer } from "../../apps/api/src/server";
import { lcg, sceneImage } from "./lib/probe-images";
import { quantile } from "./lib/report";

const N = Number(process.env.PROBE_BENCH_N ?? 200);
const WARMUP = 20;
const MLP = "vision.blocks.1.mlp.hook_post";
const TEXT_MLP = "text.blocks.1.mlp.hook_post";
const RESID = "vision.blocks.1.hook_resid_post";
const SAE = "vision.blocks.1.hook_resid_post.topk";
const CAPTIONS = 1024; // as many captions as the default shapes dataset holds
const GOAL_P95_MS = 100;

const uptime = () => {
  try {
    return execSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return `loadavg ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`;
  }
};

function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: quantile(s, 0.5),
    p95: quantile(s, 0.95),
    p99: quantile(s, 0.99),
    max: s[s.length - 1],
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

function images(n: number): string[] {
  const rng = lcg(12345);
  return Array.from({ length: n }, (_, i) => sceneImage(i, rng));
}

async function main(): Promise<void> {
  const loadBefore = uptime();
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
  const resid = await db.prisma.hookPoint.findFirstOrThrow({ where: { modelId: model.id, name: RESID } });
  const sae = await db.prisma.dictionary.findFirstOrThrow({ where: { modelId: model.id, name: SAE } });
  await db.prisma.unit.createMany({
    data: Array.from({ length: sae.dSae }, (_, index) => ({
      slug: `${model.name}/${RESID}/${SAE}/${index}`,
      modelId: model.id,
      hookPointId: resid.id,
      dictionaryId: sae.id,
      kind: "SAE_FEATURE" as const,
      index,
    })),
  });
  const captionSet = await db.prisma.dataset.create({
    data: { name: "bench-captions", modality: "TEXT", size: CAPTIONS },
  });
  await db.prisma.example.createMany({
    data: generateCaptionCorpus({ seed: 1, count: CAPTIONS }).map((c, index) => ({
      datasetId: captionSet.id,
      index,
      modality: "TEXT" as const,
      text: c.text,
      tags: c.tags,
    })),
  });
  const imgs = images(N + WARMUP);
  const texts = generateCaptionCorpus({ seed: 7, count: N + WARMUP }).map((c) => c.text);
  const registry: ProbeRegistry = probeRegistryFor(db.prisma);
  const t0 = performance.now();
  await registry.warm(model.id);
  const warmMs = performance.now() - t0;

  const imageInput = (i: number) => ({
    modelId: model.id,
    image: imgs[i],
    unitId: `${model.name}/${MLP}/neuron/${i % 256}`,
    hookPointId: MLP,
    topN: 10,
  });
  const textInput = (i: number) => ({
    modelId: model.id,
    text: texts[i],
    unitId: `${model.name}/${TEXT_MLP}/neuron/${i % 256}`,
    hookPointId: TEXT_MLP,
    topN: 10,
  });
  // even: an MLP neuron at ±(1..8); odd: an SAE feature along its decoder row
  const steerInput = (i: number) => ({
    modelId: model.id,
    image: imgs[i],
    strength: (i % 2 ? 1 : -1) * (1 + (i % 8)),
    unitId: i % 2 === 0 ? `${model.name}/${MLP}/neuron/${i % 256}` : `${model.name}/${RESID}/${SAE}/${i % sae.dSae}`,
  });
  let captionsSearched = 0;

  // the bench client's own address is exempt from the per-IP limit (its ≥1320 requests would spend a default window)
  const limits = rateLimitConfigFromEnv();
  const api = await startApiServer({
    port: 0,
    prisma: db.prisma,
    rateLimit: {
      limiter: createMemoryRateLimiter(),
      config: { ...limits, exemptIps: [...limits.exemptIps, "127.0.0.1", "::1", "::ffff:127.0.0.1"] },
    },
  });
  const QUERY = `query($i: ProbeInput!) { probe(input: $i) { gridSize tokens latencyMs unit { value values } topUnits { index value unit { id slug } } } }`;
  const http = async (input: Record<string, unknown>) => {
    const res = await fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: QUERY, variables: { i: input } }),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };
  const inproc = async (input: Parameters<typeof probe>[1]) => {
    await probe(db.prisma, input);
  };
  const STEER_QUERY = `query($i: ProbeSteerInput!) { probeSteer(input: $i) { unitBefore unitAfter latencyMs classes { label before after delta } captionsBefore { text before after } captionsAfter { text before after } } }`;
  const steerHttp = async (input: Record<string, unknown>) => {
    const res = await fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: STEER_QUERY, variables: { i: input } }),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };
  const steerInproc = async (input: Parameters<typeof probeSteer>[1]) => {
    captionsSearched = (await probeSteer(db.prisma, input)).captionCount;
  };

  const series: Record<string, number[]> = {
    "image in-process": [],
    "text in-process": [],
    "steer in-process": [],
    "image HTTP": [],
    "text HTTP": [],
    "steer HTTP": [],
  };
  for (let i = 0; i < WARMUP; i++) {
    await inproc(imageInput(i));
    await inproc(textInput(i));
    await steerInproc(steerInput(i));
    await http(imageInput(i));
    await http(textInput(i));
    await steerHttp(steerInput(i));
  }
  // interleaved so that load spikes on the shared machine hit all six series alike
  for (let i = WARMUP; i < N + WARMUP; i++) {
    const steps: [string, () => Promise<void>][] = [
      ["image in-process", () => inproc(imageInput(i))],
      ["text in-process", () => inproc(textInput(i))],
      ["steer in-process", () => steerInproc(steerInput(i))],
      ["image HTTP", () => http(imageInput(i))],
      ["text HTTP", () => http(textInput(i))],
      ["steer HTTP", () => steerHttp(steerInput(i))],
    ];
    for (const [name, fn] of steps) {
      const s = performance.now();
      await fn();
      series[name].push(performance.now() - s);
    }
  }
  await api.close();
  await registry.close();
  await db.close();

  const rows = Object.entries(series).map(([name, ms]) => ({ series: name, ...summary(ms) }));
  const loadAfter = uptime();
  console.log(
    `\nprobe latency, built-in model on CPU (${os.cpus().length} cores), ${N} probes per series after ${WARMUP} warm-up; runner opened in ${warmMs.toFixed(0)} ms`,
  );
  console.log(
    `steer: plain + steered run, 30 zero-shot classes, nearest 5 of ${captionsSearched} distinct captions; MLP neurons and ${SAE} features alternating`,
  );
  console.log("series             |   n  |  p50 ms |  p95 ms |  p99 ms |  max ms | goal p95 < 100 ms");
  console.log("-------------------|------|---------|---------|---------|---------|------------------");
  for (const r of rows)
    console.log(
      `${r.series.padEnd(19)}| ${String(r.n).padStart(4)} | ${r.p50.toFixed(2).padStart(7)} | ${r.p95.toFixed(2).padStart(7)} | ${r.p99.toFixed(2).padStart(7)} | ${r.max.toFixed(2).padStart(7)} | ${r.p95 < GOAL_P95_MS ? "ok" : "MISSED"}`,
    );
  console.log(`load before: ${loadBefore}\nload after:  ${loadAfter}`);
  const out = path.join(repoRoot(), "artifacts", "bench", "probe.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        bench: "probe",
        date: new Date().toISOString(),
        model: model.name,
        goalP95Ms: GOAL_P95_MS,
        probe: { unit: "one neuron + top 10 of its layer", imageLayer: MLP, textLayer: TEXT_MLP },
        steer: {
          units: `neurons of ${MLP} and features of SAE ${SAE}, alternating`,
          classes: 30,
          captionsSearched,
          topCaptions: 5,
        },
        machine: {
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model,
          node: process.version,
          uptimeBefore: loadBefore,
          uptimeAfter: loadAfter,
        },
        database: process.env.TEST_DATABASE_URL ? "PostgreSQL (TEST_DATABASE_URL)" : "PGlite in memory",
        runnerOpenMs: warmMs,
        warmup: WARMUP,
        results: rows,
        met: rows.every((r) => r.p95 < GOAL_P95_MS),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${path.relative(repoRoot(), out)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
