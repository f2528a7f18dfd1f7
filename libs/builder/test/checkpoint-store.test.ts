// Checkpoint bodies on disk: a written checkpoint reads back exactly; the finalize phase (same `states` object)
// reuses the body instead of writing it again; a missing or truncated body is a clear error; bodies are removed.
import { existsSync, mkdtempSync, readdirSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CheckpointWriter, checkpointDir, readCheckpoint, removeCheckpointBodies } from "../src/run/checkpoint-store";

let dir: string;
const saved = process.env.DATA_DIR;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "mmatlas-ckpt-"));
  process.env.DATA_DIR = dir;
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = saved;
});

const bodies = () => (existsSync(checkpointDir()) ? readdirSync(checkpointDir()) : []);

test("round trip, body reuse while states are unchanged, removal", async () => {
  const writer = new CheckpointWriter("job-1");
  const states = {
    s: {
      kind: "units",
      snapshot: { values: Float32Array.from({ length: 1000 }, (_, i) => i / 3), ids: Int32Array.from([4, 5, 6]) },
    },
  };
  const first = await writer.write({ states, finalizedSets: [], examplesDone: 10 } as never);
  expect(first.fresh).not.toBeNull();
  expect(first.body!.bytes).toBe(4000 + 16); // 1000 float32, then 3 int32 padded to 8 bytes
  expect(bodies()).toEqual([first.body!.file]);
  const back = (await readCheckpoint(JSON.parse(JSON.stringify(first.json)))) as {
    states: typeof states;
    examplesDone: number;
  };
  expect(back.examplesDone).toBe(10);
  expect(back.states.s.snapshot.values).toEqual(states.s.snapshot.values);
  expect(back.states.s.snapshot.ids).toEqual(states.s.snapshot.ids);

  const finalizing = await writer.write({ states, finalizedSets: ["s"], examplesDone: 10 } as never);
  expect(finalizing.fresh).toBeNull();
  expect(finalizing.body).toEqual(first.body);
  expect((finalizing.json as { finalizedSets: string[] }).finalizedSets).toEqual(["s"]);

  const next = await writer.write({ states: { ...states }, finalizedSets: [], examplesDone: 20 } as never);
  expect(next.fresh!.file).not.toBe(first.body!.file);
  removeCheckpointBodies("job-1", next.fresh!.file);
  expect(bodies()).toEqual([next.fresh!.file]);

  truncateSync(path.join(checkpointDir(), next.fresh!.file), 100);
  await expect(readCheckpoint(next.json)).rejects.toThrow(/missing or incomplete/);
  removeCheckpointBodies("job-1");
  expect(bodies()).toEqual([]);
});

test("a checkpoint without typed arrays needs no body", async () => {
  const r = await new CheckpointWriter("job-2").write({ states: { h: { kind: "heads", snapshot: { examples: 3 } } } });
  expect(r.body).toBeNull();
  expect(await readCheckpoint(r.json)).toEqual({ states: { h: { kind: "heads", snapshot: { examples: 3 } } } });
});
