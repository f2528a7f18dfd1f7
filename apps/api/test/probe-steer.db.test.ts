// probeSteer over real HTTP against the built-in model: open to anonymous callers and signed-in tokens like
// the probe; strength 0 changes nothing, a positive strength raises the neuron and moves the classes; the
// probe's image limits, query-cost cap and rate limit apply; typed errors without stack traces.
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { builtinModelDir, encodePng, IMAGE_SIZE, renderScene, type Scene } from "@mmatlas/model-zoo";
import { createMemoryRateLimiter } from "@mmatlas/ratelimit";
import { startApiServer, type ApiServer } from "../src/server";
import { codeOf, gql, rawResponses } from "./client";

jest.setTimeout(180_000);

const MLP = "vision.blocks.1.mlp.hook_post";
const STEER = `query($i: ProbeSteerInput!) { probeSteer(input: $i) {
  strength direction directionNorm unitBefore unitAfter embeddingCosine captionCount latencyMs
  unit { slug } hookPoint { name } dictionary { name }
  classes { label before after delta } captionsBefore { text before after } captionsAfter { text before after }
} }`;

let db: TestDatabase;
let api: ApiServer;
let modelId: string;
let token: string;

const png = (seed: number): string => {
  const scene: Scene = {
    kind: "object",
    objects: [{ color: "red", shape: "circle", size: "large", position: "center", cx: 16, cy: 16, r: 8 }],
  };
  let s = seed;
  const rng = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return encodePng(renderScene(scene, rng), IMAGE_SIZE, IMAGE_SIZE).toString("base64");
};
const unitId = (index: number) => `clip-shapes/${MLP}/neuron/${index}`;
const steerQ = (url: string, i: Record<string, unknown>, tok?: string) =>
  gql(url, STEER, { i: { modelId, image: png(1), unitId: unitId(7), strength: 0, ...i } }, tok);

beforeAll(async () => {
  db = await createTestDatabase();
  const { model } = await registerModelFromManifest(db.prisma, builtinModelDir());
  modelId = model.id;
  const hook = await db.prisma.hookPoint.findFirstOrThrow({ where: { modelId, name: MLP } });
  await db.prisma.unit.createMany({
    data: Array.from({ length: 16 }, (_, index) => ({
      slug: unitId(index),
      modelId,
      hookPointId: hook.id,
      kind: "NEURON" as const,
      index,
    })),
  });
  api = await startApiServer({ port: 0, prisma: db.prisma, jobRunner: "none", rateLimit: false, log: () => undefined });
  await gql(api.url, `mutation($i: RegisterInput!) { register(input: $i) { id } }`, {
    i: { email: "steer@example.org", password: "correct horse battery", displayName: "steer" },
  });
  token = (
    await gql(api.url, `mutation($i: LoginInput!) { login(input: $i) { token } }`, {
      i: { email: "steer@example.org", password: "correct horse battery" },
    })
  ).data.login.token;
});

afterAll(async () => {
  await api?.close();
  await db?.close();
  for (const raw of rawResponses) expect(raw).not.toMatch(/stacktrace|\n\s+at |\.ts:\d+/);
});

it("steers anonymously: strength 0 leaves every class probability unchanged, +8 adds 8 to the neuron and moves them", async () => {
  const zero = await steerQ(api.url, { strength: 0 });
  expect(zero.errors).toBeUndefined();
  const z = zero.data.probeSteer;
  expect(z.unit.slug).toBe(unitId(7));
  expect(z.hookPoint.name).toBe(MLP);
  expect(z.direction).toBe("NEURON_BASIS");
  expect(z.classes).toHaveLength(30);
  for (const c of z.classes) expect(Math.abs(c.delta)).toBeLessThanOrEqual(1e-6);
  expect(Math.abs(z.unitAfter - z.unitBefore)).toBeLessThanOrEqual(1e-6);

  const moved = (await steerQ(api.url, { strength: 8 })).data.probeSteer;
  expect(moved.unitAfter - moved.unitBefore).toBeCloseTo(8, 4);
  expect(moved.classes.reduce((s: number, c: { delta: number }) => s + Math.abs(c.delta), 0)).toBeGreaterThan(0.01);
  expect(moved.latencyMs).toBeGreaterThan(0);
});

it("answers a signed-in token alike and refuses a bad token", async () => {
  const anon = (await steerQ(api.url, { strength: 3 })).data.probeSteer;
  const signed = await steerQ(api.url, { strength: 3 }, token);
  expect(signed.errors).toBeUndefined();
  expect(signed.data.probeSteer.classes).toEqual(anon.classes);
  expect(codeOf(await steerQ(api.url, { strength: 3 }, "not-a-real-token"))).toBe("UNAUTHENTICATED");
});

it("applies the probe's image limits and input checks, naming the field", async () => {
  const saved = process.env.PROBE_MAX_IMAGE_BYTES;
  process.env.PROBE_MAX_IMAGE_BYTES = "100";
  try {
    const big = await steerQ(api.url, {});
    expect([codeOf(big), big.errors?.[0]?.extensions?.field]).toEqual(["BAD_USER_INPUT", "image"]);
  } finally {
    if (saved === undefined) delete process.env.PROBE_MAX_IMAGE_BYTES;
    else process.env.PROBE_MAX_IMAGE_BYTES = saved;
  }
  const corrupt = await steerQ(api.url, { image: Buffer.from("not an image").toString("base64") });
  expect([codeOf(corrupt), corrupt.errors?.[0]?.extensions?.field]).toEqual(["BAD_USER_INPUT", "image"]);
  const strength = await steerQ(api.url, { strength: 1e9 });
  expect([codeOf(strength), strength.errors?.[0]?.extensions?.field]).toEqual(["BAD_USER_INPUT", "strength"]);
  expect(codeOf(await steerQ(api.url, { unitId: "nope" }))).toBe("NOT_FOUND");
  // the server keeps answering
  expect((await steerQ(api.url, { strength: 1 })).errors).toBeUndefined();
});

it("is priced like the probe (at most 4 per request) and rate limited per token", async () => {
  const five = Array.from({ length: 5 }, (_, k) => `s${k}: probeSteer(input: $i) { unitAfter }`).join(" ");
  const flood = await gql(api.url, `query($i: ProbeSteerInput!) { ${five} }`, {
    i: { modelId, image: png(1), unitId: unitId(1), strength: 1 },
  });
  expect(flood.errors?.[0]?.extensions).toMatchObject({
    code: "QUERY_TOO_COMPLEX",
    field: "Query.probeSteer",
    maxPerRequest: 4,
  });

  const limited = await startApiServer({
    port: 0,
    prisma: db.prisma,
    jobRunner: "none",
    log: () => undefined,
    rateLimit: {
      limiter: createMemoryRateLimiter(),
      config: {
        perIp: { limit: 100, windowMs: 60_000 },
        perToken: { limit: 2, windowMs: 60_000 },
        trustProxy: false,
        exemptIps: [],
      },
    },
  });
  try {
    expect((await steerQ(limited.url, { strength: 1 }, token)).status).toBe(200);
    expect((await steerQ(limited.url, { strength: 2 }, token)).status).toBe(200);
    const third = await fetch(limited.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: STEER,
        variables: { i: { modelId, image: png(1), unitId: unitId(7), strength: 3 } },
      }),
    });
    expect(third.status).toBe(429);
    expect((await third.json()).errors[0].extensions.code).toBe("RATE_LIMITED");
  } finally {
    await limited.close();
  }
});
