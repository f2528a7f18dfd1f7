// The probe set: the first `probeSize` examples of each tower, re-run after the streaming pass to get the full
// [probe × units] activation matrix CLIP-Dissect and the multimodal score need (bounded by probeSize, not the
// dataset), the probe examples' own embeddings, and their ground-truth tags.
import type { PrismaClient } from "@mmatlas/db";
import { reduceOverPositions } from "@mmatlas/atlas";
import type { Runner } from "@mmatlas/inference";
import type { TowerName, UnitSetPlan } from "../plan/build-plan";
import { readExamples, type ExampleRow } from "../pass/examples";
import { runTower, setTensor, tensorPositions } from "../pass/run-batch";
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

export async function runProbe(
  prisma: PrismaClient,
  runner: Runner,
  datasetId: string,
  tower: TowerName,
  sets: UnitSetPlan[],
  probeSize: number,
  batchSize: number,
): Promise<ProbeSet | null> {
  const rows = await readExamples(prisma, datasetId, tower, -1, probeSize);
  if (rows.length === 0) return null;
  const unitSets = sets.filter((s) => s.kind !== "ATTENTION_HEAD");
  const activations = new Map<string, Float32Array>(
    unitSets.map((s) => [s.key, new Float32Array(rows.length * s.units)]),
  );
  let embeds: Float32Array | null = null;
  let dim = 0;
  // one batch at a time, reduced right away: memory O(probe × units), not O(probe × units × positions), which at
  // ViT-B/32 width (24 hooks × 50–77 positions × 2–3k units) would be gigabytes
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const run = await runTower(runner, tower, batch, unitSets, batchSize, { textPositions: "longest" });
    const e = run.result.embeds;
    dim = e.dims[e.dims.length - 1];
    embeds ??= new Float32Array(rows.length * dim);
    embeds.set(e.data.subarray(0, batch.length * dim), start * dim);
    for (const set of unitSets) {
      const values = setTensor(set, run.result);
      const positions = tensorPositions(set, run.result, batch.length, values);
      const reduced = reduceOverPositions(values, batch.length, positions, set.units, "max", run.valid);
      activations.get(set.key)!.set(reduced, start * set.units);
    }
  }
  return { tower, rows, embeds: normalizeRows(embeds!, dim), dim, activations };
}
