// The probe set: the first `probeSize` examples of each tower, re-run after the streaming pass to get the full
// [probe × units] activation matrix CLIP-Dissect and the multimodal score need (bounded by probeSize, not the
// dataset), the probe examples' own embeddings, and their ground-truth tags.
import type { PrismaClient } from "@mmatlas/db";
import { reduceOverPositions } from "@mmatlas/atlas";
import type { Runner } from "@mmatlas/inference";
import type { TowerName, UnitSetPlan } from "../plan/build-plan";
import { readExamples, type ExampleRow } from "../pass/examples";
import { runTower, setTensor } from "../pass/run-batch";
import { normalizeRows } from "./concepts";

export interface ProbeSet {
  tower: TowerName;
  rows: ExampleRow[];
  /** L2-normalized embeddings [probe × dim] */
  embeds: Float32Array;
  dim: number;
  /** set key → activations [probe × units] (max over valid positions) */
  activations: Map<string, Float32Array>;
}

export async function runProbe(prisma: PrismaClient, runner: Runner, datasetId: string, tower: TowerName, sets: UnitSetPlan[], probeSize: number, batchSize: number): Promise<ProbeSet | null> {
  const rows = await readExamples(prisma, datasetId, tower, -1, probeSize);
  if (rows.length === 0) return null;
  const run = await runTower(runner, tower, rows, sets.filter((s) => s.kind !== "ATTENTION_HEAD"), batchSize);
  const dim = run.result.embeds.dims[run.result.embeds.dims.length - 1];
  const activations = new Map<string, Float32Array>();
  for (const set of sets) {
    if (set.kind === "ATTENTION_HEAD") continue;
    const data = setTensor(set, run.result);
    activations.set(set.key, reduceOverPositions(data, rows.length, set.positions, set.units, "max", run.valid));
  }
  return { tower, rows, embeds: normalizeRows(run.result.embeds.data, dim), dim, activations };
}
