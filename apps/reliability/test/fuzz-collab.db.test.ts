// Fuzzing /collab over real WebSockets (seeded, replayable) against an in-process API server: awareness
// floods (many updates, oversized states, spoofed users, CSS-URL colours, reused clientIDs), oversized
// updates, documents grown past their limit, over-long labels, and raw garbage frames, from anonymous and
// signed-in attackers. Meanwhile an honest editor types and a viewer watches: every honest edit must reach
// the viewer, the viewer must only ever see server-set presence (real names, #rrggbb colours) and a bounded
// number of bytes, and the stored document must stay within its limits and hold the honest text.
import { login, registerUser } from "@mmatlas/auth";
import { annotationFields, FIELD_MAX, readSnapshot, type PresenceState } from "@mmatlas/collab/doc";
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import WebSocket from "ws";
import * as Y from "yjs";
import { startApiServer, type ApiServer } from "../../api/src/server";
import { connectEditor, seedCoEditing, waitFor } from "./cluster-fixture";
import { seededRandom, type Random } from "./seeded-random";

jest.setTimeout(240_000);

const ATTACKS = 60;
const LIMITS = { maxDocumentBytes: 200_000, maxUpdateBytes: 64_000, maxAwarenessBytes: 8_192, awarenessPerSecond: 20 };

let db: TestDatabase;
let api: ApiServer;
const cleanup: (() => void)[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApiServer({
    port: 0,
    prisma: db.prisma,
    jobRunner: "none",
    collab: { limits: LIMITS },
    log: () => {},
  });
});
afterAll(async () => {
  for (const c of cleanup) c();
  await api?.close();
  await db?.close();
});

// lib0 encoding of Hocuspocus messages, enough for raw attackers
const varUint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
};
const bytes = (b: Uint8Array): number[] => [...varUint(b.length), ...b];
const str = (s: string) => bytes(new TextEncoder().encode(s));
const message = (doc: string, type: number, ...body: number[][]) =>
  Buffer.from([...str(doc), ...varUint(type), ...body.flat()]);
const authMessage = (doc: string, token: string) => message(doc, 2, varUint(0), str(token));
const awarenessMessage = (doc: string, entries: [number, number, unknown][]) =>
  message(
    doc,
    1,
    bytes(
      Uint8Array.from([
        ...varUint(entries.length),
        ...entries.flatMap(([id, clock, state]) => [...varUint(id), ...varUint(clock), ...str(JSON.stringify(state))]),
      ]),
    ),
  );
const updateMessage = (doc: string, update: Uint8Array) => message(doc, 0, varUint(2), bytes(update));

/** A raw attacker socket: authenticates, then sends `frames` (errors and closes are expected). */
async function attack(token: string, frames: Buffer[]): Promise<void> {
  const ws = new WebSocket(api.collabUrl);
  ws.on("error", () => {});
  await new Promise<void>((resolve) => {
    ws.once("open", () => resolve());
    ws.once("close", () => resolve());
  });
  if (ws.readyState !== WebSocket.OPEN) return;
  for (const f of frames) if (ws.readyState === WebSocket.OPEN) ws.send(f);
  await new Promise((r) => setTimeout(r, 50));
  ws.terminate();
}

function attackFrames(
  r: Random,
  unitId: string,
  token: string,
  victimClientId: number,
): { kind: string; frames: Buffer[] } {
  const id = 1 + r.int(2 ** 30);
  const auth = authMessage(unitId, token);
  switch (r.int(7)) {
    case 0:
      return {
        kind: "awareness flood",
        frames: [
          auth,
          ...Array.from({ length: 50 + r.int(300) }, (_, i) =>
            awarenessMessage(unitId, [
              [id, i + 1, { user: { name: "flood", color: "#000000" }, cursor: null, pad: "p".repeat(r.int(2000)) }],
            ]),
          ),
        ],
      };
    case 1:
      return {
        kind: "oversized awareness",
        frames: [
          auth,
          ...Array.from({ length: 1 + r.int(5) }, (_, i) =>
            awarenessMessage(unitId, [[id, i + 1, { junk: "x".repeat(10_000 + r.int(900_000)) }]]),
          ),
        ],
      };
    case 2:
      return {
        kind: "spoofed presence",
        frames: [
          auth,
          awarenessMessage(unitId, [
            [
              id,
              1,
              {
                user: {
                  id: "admin",
                  name: "admin (spoofed)",
                  color: r.pick(["url(http://evil.example/x)", "#fff;background:url(x)", "expression(alert(1))"]),
                },
              },
            ],
          ]),
        ],
      };
    case 3:
      return {
        kind: "clientID reuse",
        frames: [
          auth,
          awarenessMessage(unitId, [
            [victimClientId, 10_000 + r.int(1000), { user: { id: "x", name: "stolen", color: "#ff0000" } }],
          ]),
        ],
      };
    case 4: {
      const d = new Y.Doc();
      d.getMap("junk").set("k", "j".repeat(LIMITS.maxUpdateBytes + r.int(400_000)));
      return { kind: "oversized update", frames: [auth, updateMessage(unitId, Y.encodeStateAsUpdate(d))] };
    }
    case 5: {
      const frames = [auth];
      const d = new Y.Doc();
      for (let i = 0; i < 8; i++) {
        const before = Y.encodeStateVector(d);
        d.getMap("grow").set(`k${id}-${i}`, "g".repeat(40_000));
        frames.push(updateMessage(unitId, Y.encodeStateAsUpdate(d, before)));
      }
      return { kind: "document growth", frames };
    }
    default: {
      const d = new Y.Doc();
      annotationFields(d).label.insert(0, "L".repeat(FIELD_MAX.label + 1 + r.int(5000)));
      return {
        kind: r.chance(0.5) ? "over-long label" : "garbage",
        frames: r.chance(0.5)
          ? [auth, updateMessage(unitId, Y.encodeStateAsUpdate(d))]
          : [auth, Buffer.from(Array.from({ length: 1 + r.int(3000) }, () => r.int(256)))],
      };
    }
  }
}

function provider(unitId: string, token: string) {
  const e = connectEditor(api.collabUrl, unitId, token);
  cleanup.push(() => e.destroy());
  return { doc: e.doc, p: e.provider, socket: e.socket };
}

it(`keeps /collab up and honest clients working through ${ATTACKS} seeded attacks`, async () => {
  const { tokens, unitId } = await seedCoEditing(db, ["alice", "bob"]);
  await registerUser(db.prisma, { email: "fuzz@example.org", password: "long-enough-pw", displayName: "fuzz" });
  const fuzzToken = (await login(db.prisma, { email: "fuzz@example.org", password: "long-enough-pw" })).secret;
  const editor = provider(unitId, tokens.alice!);
  const viewer = provider(unitId, ""); // anonymous, read-only
  let received = 0;
  viewer.socket.on("message", ({ data }: { data: ArrayBuffer }) => {
    received += data.byteLength;
  });
  await waitFor(() => editor.p.isSynced && viewer.p.isSynced, `honest clients synced`).catch((e) => {
    throw new Error(
      `${(e as Error).message}: editor ${editor.p.isSynced} ${editor.socket.status}, viewer ${viewer.p.isSynced} ${viewer.socket.status}`,
    );
  });
  editor.p.setAwarenessField("user", { id: "ignored", name: "ignored", color: "#123456" });

  const r = seededRandom(20261206);
  const kinds = new Map<string, number>();
  const problems: string[] = [];
  for (let n = 0; n < ATTACKS; n++) {
    const { kind, frames } = attackFrames(r, unitId, r.chance(0.5) ? "" : fuzzToken, editor.doc.clientID);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    await attack(kind === "clientID reuse" || r.chance(0.5) ? fuzzToken : "", frames);
    const word = ` w${n}`;
    annotationFields(editor.doc).description.insert(annotationFields(editor.doc).description.length, word);
    try {
      await waitFor(
        () => readSnapshot(viewer.doc).description.endsWith(word),
        `honest edit #${n} reaches the viewer`,
        10_000,
      );
    } catch (e) {
      problems.push(`#${n} ${kind}: ${(e as Error).message}`);
    }
    for (const [clientId, s] of viewer.p.awareness!.getStates()) {
      const user = (s as PresenceState).user;
      if (!user) continue;
      if (!/^#[0-9a-f]{6}$/i.test(user.color) || !["alice", "bob", "fuzz", "Guest"].includes(user.name))
        problems.push(`#${n} ${kind}: viewer sees ${JSON.stringify(user)} for ${clientId}`);
    }
  }
  expect(problems).toEqual([]);
  expect([...kinds.keys()].sort()).toEqual([
    "awareness flood",
    "clientID reuse",
    "document growth",
    "garbage",
    "over-long label",
    "oversized awareness",
    "oversized update",
    "spoofed presence",
  ]);
  // the editor's own presence is still its own
  expect((viewer.p.awareness!.getStates().get(editor.doc.clientID) as PresenceState | undefined)?.user?.name).toBe(
    "alice",
  );
  // bounded delivery: without the limits the oversized awareness alone is tens of MB
  expect(received).toBeLessThan(5_000_000);
  // stored within the limits, with the honest text
  await api.collab.storeAll();
  const row = await db.prisma.collabDocument.findUniqueOrThrow({ where: { unitId } });
  expect(row.state.length).toBeLessThanOrEqual(LIMITS.maxDocumentBytes);
  const stored = new Y.Doc();
  Y.applyUpdate(stored, new Uint8Array(row.state));
  expect(readSnapshot(stored).description).toBe(readSnapshot(editor.doc).description);
  expect(readSnapshot(stored).label.length).toBeLessThanOrEqual(FIELD_MAX.label);
  // GraphQL still answers
  const res = await fetch(api.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ __typename }" }),
  });
  expect(res.status).toBe(200);
  console.log(`collab fuzz: attacks ${JSON.stringify(Object.fromEntries(kinds))}, ${received} bytes to the viewer`);
});
