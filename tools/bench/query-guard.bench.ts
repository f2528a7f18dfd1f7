// `npx tsx --tsconfig tsconfig.base.json tools/bench/query-guard.bench.ts` — the GraphQL cost attacks of issue 15, timed against a running API: exponential
// fragment fan-out (22 levels), 2,000 aliased `probe` calls, 900 aliases of `topActivations(limit: 100) { example
// { imageDataUrl } }`, and 1,500 aliased `__schema`. The API runs in a child process (PGlite, the built-in model,
// a small atlas with 400-byte image examples); while each attack runs, the parent sends a simple query every 50 ms.
// Per attack: the attack's own time, the longest a concurrent simple query waited ("blocked"), the API's RSS
// growth (peak during the attack − before), the response size and the answer's error code.
//   options: --levels N (22) --probes N (2000) --tops N (900) --schemas N (1500)
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";

async function serve() {
  const { createTestDatabase } = await import("@mmatlas/db/testing");
  const { registerModelFromManifest } = await import("@mmatlas/catalog");
  const { builtinModelDir } = await import("@mmatlas/model-zoo");
  const { startApiServer } = await import("../../apps/api/src/server");
  const db = await createTestDatabase();
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  const hook = await db.prisma.hookPoint.findFirstOrThrow({ where: { modelId: model.id } });
  const dataset = await db.prisma.dataset.create({ data: { name: "bench-images", modality: "IMAGE", size: 100 } });
  // incompressible 400-byte "images" (a tiny thumbnail): 900 × 100 of them make the issue's ~52 MB
  await db.prisma.example.createMany({
    data: Array.from({ length: 100 }, (_, index) => ({
      datasetId: dataset.id,
      index,
      modality: "IMAGE" as const,
      image: randomBytes(400),
      tags: [],
    })),
  });
  const examples = await db.prisma.example.findMany({ where: { datasetId: dataset.id }, orderBy: { index: "asc" } });
  const unit = await db.prisma.unit.create({
    data: { slug: "bench/unit/0", modelId: model.id, hookPointId: hook.id, kind: "NEURON", index: 0 },
  });
  await db.prisma.topActivation.createMany({
    data: examples.map((e, rank) => ({ unitId: unit.id, exampleId: e.id, rank, maxValue: 100 - rank, values: [] })),
  });
  const api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => {} });
  let peak = 0;
  setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20).unref();
  process.on("message", (m: { cmd: string }) => {
    if (m.cmd === "rss") {
      process.send!({ rss: peak });
      peak = process.memoryUsage().rss;
    }
    if (m.cmd === "stop")
      void api
        .close()
        .then(() => db.close())
        .then(() => process.exit(0));
  });
  process.send!({ url: api.url, modelId: model.id, unitId: unit.id, hookPoint: hook.name });
}

function ask(child: ChildProcess, cmd: string): Promise<any> {
  return new Promise((resolve) => {
    child.once("message", resolve);
    child.send({ cmd });
  });
}

async function post(url: string, query: string) {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  let code: string;
  try {
    const j = JSON.parse(text);
    code = j.errors?.[0]?.extensions?.code ?? (j.errors ? "error" : "none (data)");
  } catch {
    code = "not JSON";
  }
  return { ms, bytes: Buffer.byteLength(text), code, status: res.status };
}

export const fanOut = (levels: number) => {
  const parts = ["fragment F0 on Query { __typename }"];
  for (let i = 1; i <= levels; i++) parts.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
  return `query { ...F${levels} } ${parts.join(" ")}`;
};
const aliases = (n: number, body: (i: number) => string) =>
  `query { ${Array.from({ length: n }, (_, i) => body(i)).join(" ")} }`;

async function main() {
  const { values } = parseArgs({
    options: {
      levels: { type: "string", default: "22" },
      probes: { type: "string", default: "2000" },
      tops: { type: "string", default: "900" },
      schemas: { type: "string", default: "1500" },
    },
  });
  const child = fork(__filename, ["--serve"], { execArgv: process.execArgv, stdio: "inherit" });
  const info: { url: string; modelId: string; unitId: string; hookPoint: string } = await new Promise((r) =>
    child.once("message", r as (m: unknown) => void),
  );
  const attacks: [string, string][] = [
    [`fragment fan-out, ${values.levels} levels`, fanOut(Number(values.levels))],
    [
      `${values.probes} aliased probe calls`,
      aliases(
        Number(values.probes),
        (i) =>
          `p${i}: probe(input: { modelId: "${info.modelId}", text: "a red circle ${i}", hookPointId: "text.blocks.0.mlp.hook_post", topN: 1 }) { latencyMs }`,
      ),
    ],
    [
      `${values.tops} aliased topActivations(limit: 100) { imageDataUrl }`,
      aliases(
        Number(values.tops),
        (i) => `t${i}: unit(id: "${info.unitId}") { topActivations(limit: 100) { example { imageDataUrl } } }`,
      ),
    ],
    [
      `${values.schemas} aliased __schema`,
      aliases(Number(values.schemas), (i) => `s${i}: __schema { types { name fields { name type { name } } } }`),
    ],
  ];
  await post(info.url, "{ __typename }");
  const rows = [];
  for (const [name, query] of attacks) {
    await ask(child, "rss");
    const base = (await ask(child, "rss")).rss;
    let worst = 0;
    let done = false;
    const probeLoop = (async () => {
      while (!done) {
        const r = await post(info.url, "{ __typename }");
        worst = Math.max(worst, r.ms);
        await new Promise((res) => setTimeout(res, 50));
      }
    })();
    await new Promise((res) => setTimeout(res, 120));
    const attack = await post(info.url, query);
    done = true;
    await probeLoop;
    const peak = (await ask(child, "rss")).rss;
    rows.push({
      attack: name,
      request_kb: +(Buffer.byteLength(query) / 1024).toFixed(1),
      attack_s: +(attack.ms / 1000).toFixed(2),
      blocked_s: +(worst / 1000).toFixed(2),
      rss_growth_mb: +((peak - base) / 2 ** 20).toFixed(1),
      response_mb: +(attack.bytes / 2 ** 20).toFixed(3),
      answer: `${attack.status} ${attack.code}`,
    });
    console.log(JSON.stringify(rows.at(-1)));
  }
  console.table(rows);
  child.send({ cmd: "stop" });
}

if (process.argv.includes("--serve")) void serve();
else
  void main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
