// The API serves live co-labeling on /collab (Hocuspocus through the upgrade router), and a graceful
// close() stores documents whose debounced store has not run yet: nothing typed before shutdown is lost.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { login, registerUser } from "@mmatlas/auth";
import { annotationFields, applyTextDiff, readSnapshot } from "@mmatlas/collab/doc";
import { createTestDatabase, type TestDatabase, createBareModel } from "@mmatlas/db/testing";
import WebSocket from "ws";
import * as Y from "yjs";
import { startApiServer, type ApiServer } from "../src/server";

jest.setTimeout(120_000);

let db: TestDatabase;
let api: ApiServer | null = null;

afterEach(async () => {
  await api?.close();
  await db?.close();
});

async function waitFor(cond: () => boolean, what: string, timeoutMs = 15_000) {
  for (const start = Date.now(); !cond();) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

it("mounts Hocuspocus at /collab and stores pending documents on close()", async () => {
  db = await createTestDatabase();
  await registerUser(db.prisma, { email: "a@example.org", password: "long-enough-pw" });
  const { secret } = await login(db.prisma, { email: "a@example.org", password: "long-enough-pw" });
  const model = await createBareModel(db.prisma);
  const hook = await db.prisma.hookPoint.create({
    data: { modelId: model.id, name: "h", tower: "VISION", layer: 0, kind: "RESID", width: 4, tensor: "t" },
  });
  const unit = await db.prisma.unit.create({
    data: { slug: "m/h/0", modelId: model.id, hookPointId: hook.id, kind: "NEURON", index: 0 },
  });

  // a store debounce far longer than the test: only close() can have stored the edit
  api = await startApiServer({
    port: 0,
    prisma: db.prisma,
    jobRunner: "none",
    log: () => {},
    collab: { debounceMs: 600_000, maxDebounceMs: 600_000 },
  });
  expect(api.collabUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/collab$/);
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url: api.collabUrl, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: unit.id, document: doc, token: secret });
  provider.attach();
  try {
    await waitFor(() => provider.isSynced && provider.authorizedScope === "read-write", "sync");
    applyTextDiff(annotationFields(doc).label, "triangles");
    await waitFor(() => !provider.hasUnsyncedChanges, "server acknowledgement");
    expect(await db.prisma.collabDocument.count()).toBe(0); // not stored yet (debounced)
    await api.close();
    api = null;
  } finally {
    provider.destroy();
    socket.destroy();
  }
  const row = await db.prisma.collabDocument.findUniqueOrThrow({ where: { unitId: unit.id } });
  const stored = new Y.Doc();
  Y.applyUpdate(stored, new Uint8Array(row.state));
  expect(readSnapshot(stored).label).toBe("triangles");
  expect((await db.prisma.annotation.findUniqueOrThrow({ where: { id: row.annotationId! } })).label).toBe("triangles");
});
