// The probe's image path over real HTTP: the body limit admits a max-size probe image (and the API says what
// its limits are), an oversized body gets a typed 413 that a Node fetch in another process really receives,
// a 4000×4000 PNG is probed without stalling other requests, data: URLs may claim any MIME type (the bytes
// decide), and corrupt or unsupported images get clean typed messages.
import { execFile } from "node:child_process";
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir, encodePng, IMAGE_SIZE, renderScene, type Scene } from "@mmatlas/model-zoo";
import { DEFAULT_MAX_IMAGE_BYTES } from "@mmatlas/probe";
import sharp from "sharp";
import { probeBodyBytes } from "../src/body-limit";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql } from "./client";

jest.setTimeout(180_000);

const MLP = "vision.blocks.1.mlp.hook_post";
const PROBE = `query($i: ProbeInput!) { probe(input: $i) { modality latencyMs topUnits { index value } } }`;

let db: TestDatabase;
let api: ApiServer;
let modelId: string;
const logged: string[] = [];

const probeQ = (i: Record<string, unknown>) => gql(api.url, PROBE, { i: { modelId, hookPointId: MLP, topN: 3, ...i } });

function scenePng(): Buffer {
  const scene: Scene = {
    kind: "object",
    objects: [{ color: "red", shape: "circle", size: "large", position: "center", cx: 16, cy: 16, r: 8 }],
  };
  let s = 7;
  const rng = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Buffer.from(encodePng(renderScene(scene, rng), IMAGE_SIZE, IMAGE_SIZE));
}

/** A PNG of random pixels (incompressible): about width × height × 3 bytes. */
function noisePng(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let s = 12345;
  for (let i = 0; i < raw.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    raw[i] = s >>> 24;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/** POSTs `mb` MiB to the API from another Node process (its fetch), as a client on another machine would. */
function fetchFromChild(url: string, mb: number): Promise<{ status?: number; body?: string; error?: string }> {
  const client = `
    const [url, mb] = process.argv.slice(1);
    const pad = "x".repeat(Math.round(Number(mb) * 1048576));
    fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }", pad }) })
      .then(async (r) => console.log(JSON.stringify({ status: r.status, body: await r.text() })), (e) => console.log(JSON.stringify({ error: e.message + " " + (e.cause && e.cause.code) })));`;
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["-e", client, url, String(mb)], (e, stdout) =>
      e ? reject(e) : resolve(JSON.parse(stdout)),
    ),
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({
    model: { id: modelId },
  } = await registerModelFromManifest(db.prisma, builtinModelDir()));
  api = await startApiServer({
    port: 0,
    prisma: db.prisma,
    jobRunner: "none",
    rateLimit: false,
    log: (m, e) => logged.push(`${m}: ${String(e)}`),
  });
  expect((await probeQ({ image: scenePng().toString("base64") })).errors).toBeUndefined(); // opens the model
});

afterAll(async () => {
  await api?.close();
  await db?.close();
});

it("publishes its limits, and the body limit admits a probe image close to PROBE_MAX_IMAGE_BYTES", async () => {
  const limits = await gql(api.url, `{ probeLimits { maxImageBytes maxImagePixels imageFormats } }`);
  expect(limits.data.probeLimits).toEqual({
    maxImageBytes: DEFAULT_MAX_IMAGE_BYTES,
    maxImagePixels: 4096 * 4096,
    imageFormats: ["PNG", "JPEG"],
  });
  const png = await noisePng(800, 840); // ≈ 2.0 MB: over the old 1 MiB body limit once in base64
  expect(png.length).toBeGreaterThan(1_900_000);
  expect(png.length).toBeLessThanOrEqual(DEFAULT_MAX_IMAGE_BYTES);
  const r = await probeQ({ image: `data:image/png;base64,${png.toString("base64")}` });
  expect(r.status).toBe(200);
  expect(r.errors).toBeUndefined();
  expect(r.data.probe.topUnits).toHaveLength(3);
  // just over the image limit, still within the body: the probe's own typed refusal
  const over = Buffer.concat([png, Buffer.alloc(DEFAULT_MAX_IMAGE_BYTES + 1000 - png.length)]);
  expect(4 * Math.ceil(over.length / 3)).toBeLessThan(probeBodyBytes(DEFAULT_MAX_IMAGE_BYTES));
  const big = await probeQ({ image: over.toString("base64") });
  expect(codeOf(big)).toBe("BAD_USER_INPUT");
  expect(big.errors![0].message).toBe(
    `image is ${over.length} bytes, over the probe limit of ${DEFAULT_MAX_IMAGE_BYTES} bytes (2 MiB)`,
  );
});

it("answers an oversized body with a typed 413 that a Node fetch in another process receives", async () => {
  for (const mb of [4, 12, 40]) {
    const r = await fetchFromChild(api.url, mb);
    expect(r.error).toBeUndefined(); // was: "fetch failed EPIPE" (the socket was closed while the client still sent)
    expect(r.status).toBe(413);
    const limit = probeBodyBytes(DEFAULT_MAX_IMAGE_BYTES);
    expect(JSON.parse(r.body!)).toEqual({
      errors: [
        {
          message: `request body is larger than the API accepts (${limit} bytes, 2.7 MiB; API_MAX_BODY_BYTES)`,
          extensions: { code: "PAYLOAD_TOO_LARGE", limit },
        },
      ],
    });
  }
  expect((await gql(api.url, "{ __typename }")).data).toEqual({ __typename: "Query" });
});

it("probes a 4000×4000 PNG without stalling other requests", async () => {
  const png = await sharp(await noisePng(100, 100))
    .resize(4000, 4000, { kernel: "nearest" })
    .png()
    .toBuffer();
  expect(png.length).toBeLessThan(DEFAULT_MAX_IMAGE_BYTES);
  let last = performance.now(),
    maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  let probeMs = 0;
  const probing = probeQ({ image: png.toString("base64") }).then((r) => {
    probeMs = performance.now() - started;
    return r;
  });
  const simple: number[] = [];
  while (!probeMs) {
    const t = performance.now();
    const r = await gql(api.url, "{ __typename }");
    expect(r.data.__typename).toBe("Query");
    simple.push(performance.now() - t);
  }
  clearInterval(timer);
  const r = await probing;
  expect(r.errors).toBeUndefined();
  expect(r.data.probe.topUnits).toHaveLength(3);
  // before: decoding and resizing held the event loop for nearly the whole probe, and requests waited for it
  const bound = Math.max(300, probeMs / 2); // generous: a busy machine delays timers too, but never by the whole probe
  console.log(
    `4000×4000 PNG probe ${probeMs.toFixed(0)} ms; ${simple.length} concurrent { __typename }, slowest ${Math.max(...simple).toFixed(0)} ms; largest event-loop gap ${maxGap.toFixed(0)} ms`,
  );
  expect(Math.max(...simple)).toBeLessThan(bound);
  expect(maxGap).toBeLessThan(bound);
});

it("reads the format from the bytes: a JPEG sent as data:image/gif is probed; a GIF is named and refused", async () => {
  const jpg = await sharp(scenePng()).jpeg({ quality: 90 }).toBuffer();
  const asGif = await probeQ({ image: `data:image/gif;base64,${jpg.toString("base64")}` });
  expect(asGif.errors).toBeUndefined();
  expect(asGif.data.probe.modality).toBe("IMAGE");
  const gif = await sharp(scenePng()).gif().toBuffer();
  const refused = await probeQ({ image: `data:image/png;base64,${gif.toString("base64")}` });
  expect(refused.errors![0]).toMatchObject({
    message: "image is a GIF image; the probe takes PNG or JPEG images",
    extensions: { code: "BAD_USER_INPUT", field: "image" },
  });
});

it("corrupt and truncated images get a clean typed message, not the decoder's text", async () => {
  const png = scenePng();
  const zeroed = Buffer.from(png).fill(0, 40, 80);
  for (const bad of [png.subarray(0, png.length - 20), zeroed]) {
    const r = await probeQ({ image: bad.toString("base64") });
    expect(r.errors![0]).toMatchObject({
      message: "the image could not be decoded (corrupt or truncated PNG)",
      extensions: { code: "BAD_USER_INPUT", field: "image" },
    });
  }
  expect(logged).toEqual([]);
});
