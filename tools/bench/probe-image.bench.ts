// `npm run bench:probe-image` — large probe uploads against a running API (issue 14): 4000×4000 images generated
// here (RGB and RGBA PNG, 16-bit PNG, JPEG) are probed over HTTP while `{ __typename }` requests go every 50 ms.
// Per image: the probe's round trip, the slowest concurrent request, the largest gap of a 5 ms timer in the API
// process (the event loop is never blocked for long when decoding runs in sharp's thread pool), and the answer.
// Prints a table, writes artifacts/bench/probe-image.json.  Options: --rounds N (3) --side N (4000)
import "reflect-metadata";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { registerModelFromManifest } from "@mmatlas/catalog";
import { repoRoot } from "@mmatlas/db";
import { createTestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir, encodePng } from "@mmatlas/model-zoo";
import { startApiServer } from "../../apps/api/src/server";

const { values: args } = parseArgs({
  options: { rounds: { type: "string", default: "3" }, side: { type: "string", default: "4000" } },
});
const ROUNDS = Number(args.rounds),
  SIDE = Number(args.side);

/** A side×side image with gradients, a disc and speckle (compresses like a photo-ish picture, not trivially). */
async function images(): Promise<{ name: string; bytes: Buffer }[]> {
  const raw = Buffer.alloc(SIDE * SIDE * 4);
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      const i = (y * SIDE + x) * 4,
        disc = (x - SIDE / 2) ** 2 + (y - SIDE / 2) ** 2 < (SIDE / 3) ** 2;
      raw[i] = disc ? 220 : (255 * x) / SIDE;
      raw[i + 1] = disc ? 40 : (255 * y) / SIDE;
      raw[i + 2] = (x * 7 + y * 13) % 151 === 0 ? 255 : 90;
      raw[i + 3] = 255;
    }
  const base = () => sharp(raw, { raw: { width: SIDE, height: SIDE, channels: 4 } });
  return [
    { name: "RGB PNG", bytes: await base().removeAlpha().png().toBuffer() },
    { name: "RGBA PNG", bytes: await base().png().toBuffer() },
    { name: "16-bit PNG", bytes: await base().removeAlpha().toColourspace("rgb16").png().toBuffer() },
    { name: "JPEG q90", bytes: await base().removeAlpha().jpeg({ quality: 90 }).toBuffer() },
  ];
}

async function post(
  url: string,
  query: string,
  variables?: unknown,
): Promise<{ ms: number; status: number; body: any }> {
  const t = performance.now();
  const r = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return { ms: performance.now() - t, status: r.status, body: await r.json() };
}

async function main() {
  const db = await createTestDatabase();
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  const api = await startApiServer({ port: 0, prisma: db.prisma, rateLimit: false, jobRunner: "none", log: () => {} });
  const Q = `query($i: ProbeInput!) { probe(input: $i) { latencyMs topUnits { index value } } }`;
  const input = (image: string) => ({
    i: { modelId: model.name, image, hookPointId: "vision.blocks.1.mlp.hook_post", topN: 3 },
  });
  await post(api.url, Q, input(encodePng(new Uint8Array(32 * 32 * 3).fill(100), 32, 32).toString("base64"))); // opens the model
  const rows: Record<string, unknown>[] = [];
  for (const img of await images()) {
    const b64 = img.bytes.toString("base64");
    for (let round = 0; round < ROUNDS; round++) {
      let last = performance.now(),
        maxGap = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
      }, 5);
      let done = false;
      const concurrent: number[] = [];
      const side = (async () => {
        while (!done) {
          concurrent.push((await post(api.url, "{ __typename }")).ms);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const probe = await post(api.url, Q, input(b64));
      done = true;
      await side;
      clearInterval(timer);
      rows.push({
        image: img.name,
        kb: Math.round(img.bytes.length / 1024),
        round,
        status: probe.status,
        probe_ms: +probe.ms.toFixed(1),
        concurrent_n: concurrent.length,
        concurrent_max_ms: +Math.max(...concurrent).toFixed(1),
        loop_gap_ms: +maxGap.toFixed(1),
        answer: probe.body.errors
          ? probe.body.errors[0].extensions?.code
          : `top ${probe.body.data.probe.topUnits[0].index}`,
      });
    }
  }
  await api.close();
  await db.close();
  console.table(rows);
  const out = path.join(repoRoot(), "artifacts", "bench", "probe-image.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ side: SIDE, rounds: ROUNDS, at: new Date().toISOString(), rows }, null, 2));
  console.log(`wrote ${out}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
