// The entry of an accumulator worker thread (accumulator-pool.ts bundles it with esbuild and starts it from the
// bundle): owns the states (UnitSetState, HeadState) of the sets the pool assigned to it and serves, in order,
//   { id, op: "create", key, kind, units, positions, k?, seed? }   a fresh state ("heads": units = heads, positions =
//                                                                  sequence length)
//   { id, op: "restore", key, state, units, positions }           a state from a checkpoint ({ kind, snapshot }; a
//                                                                  unit set's buffers transferred here)
//   { id, op: "add", key, exampleIds, values, valid?, layout?,    one batch of the set's tensor (transferred here;
//     positions? }                                                 layout: the head layout of an attention hook;
//                                                                  positions: per example, when fewer than the set's)
//   { id, op: "snapshot", mode, keys? }                           the states (all, or these keys) as checkpoint
//                                                                  entries: "copy" mid-pass; "share" hands the live
//                                                                  buffers over and forgets those states
// Replies { id, result?, ms? } or { id, error: { code?, message } } (code: an AtlasError's code); snapshots' buffers
// are transferred back.
import { parentPort } from "node:worker_threads";
import type { SnapshotMode } from "@mmatlas/atlas";
import { buffersOf, toWire, type CheckpointEntry } from "./accumulator-wire";
import { HeadState, type HeadLayout } from "./head-state";
import { UnitSetState } from "./unit-set-state";
type Held = { kind: "units"; state: UnitSetState } | { kind: "heads"; state: HeadState };

type Message =
  | {
      id: number;
      op: "create";
      key: string;
      kind: "units" | "heads";
      units: number;
      positions: number;
      k: number;
      seed: number;
    }
  | { id: number; op: "restore"; key: string; state: CheckpointEntry; units: number; positions: number }
  | {
      id: number;
      op: "add";
      key: string;
      exampleIds: number[];
      values: Float32Array;
      valid?: number[];
      layout?: HeadLayout;
      positions?: number;
    }
  | { id: number; op: "snapshot"; mode: SnapshotMode; keys?: string[] };

const states = new Map<string, Held>();

function heldOf(key: string): Held {
  const st = states.get(key);
  if (!st) throw new Error(`accumulator worker: no state for ${key}`);
  return st;
}

function serve(msg: Message): { result?: unknown; transfer?: ArrayBuffer[]; ms?: number } {
  switch (msg.op) {
    case "create":
      states.set(
        msg.key,
        msg.kind === "heads"
          ? { kind: "heads", state: HeadState.create(msg.units, msg.positions) }
          : { kind: "units", state: UnitSetState.create(msg.units, msg.positions, msg.k, msg.seed) },
      );
      return {};
    case "restore":
      states.set(
        msg.key,
        msg.state.kind === "heads"
          ? { kind: "heads", state: HeadState.restore(msg.state.snapshot, msg.units, msg.positions) }
          : { kind: "units", state: UnitSetState.restore(msg.state.snapshot, "adopt") }, // transferred here
      );
      return {};
    case "add": {
      const t = performance.now();
      const held = heldOf(msg.key);
      if (held.kind === "heads") {
        if (!msg.layout) throw new Error(`accumulator worker: no head layout for ${msg.key}`);
        held.state.add(msg.exampleIds, msg.values, msg.layout, msg.valid, msg.positions);
      } else held.state.add(msg.exampleIds, msg.values, msg.valid, undefined, msg.positions);
      return { ms: performance.now() - t };
    }
    case "snapshot": {
      const result: Record<string, CheckpointEntry> = {};
      for (const key of msg.keys ?? [...states.keys()]) {
        const held = heldOf(key);
        result[key] =
          held.kind === "heads"
            ? { kind: "heads", snapshot: held.state.snapshot() }
            : { kind: "units", snapshot: held.state.snapshot(msg.mode) };
        if (msg.mode === "share") states.delete(key); // the buffers leave with the reply
      }
      return { result, transfer: [...buffersOf(result)] };
    }
  }
}

parentPort!.on("message", (msg: Message) => {
  let reply: { result?: unknown; transfer?: ArrayBuffer[]; ms?: number };
  try {
    reply = serve(msg);
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: toWire(e) });
    return;
  }
  parentPort!.postMessage({ id: msg.id, result: reply.result, ms: reply.ms }, reply.transfer ?? []);
});
