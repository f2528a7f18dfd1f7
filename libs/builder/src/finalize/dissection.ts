// Network Dissection labels (Bau et al. 2017) of the vision unit sets over the probe images, with the shapes
// world's per-pixel concept masks (libs/model-zoo concept-masks, regenerated from each example's seed and index):
// two more runs of the vision tower over the probe, pass 1 for each unit's top-quantile threshold T_k over its
// patch-grid activations, pass 2 for the IoU of the upsampled thresholded maps with every concept's mask.
// Uses the first DISSECTION_IMAGES probe images (two tower runs each; IoU needs no larger sample at 0.5 %).
// Null for a dataset whose images are not shapes-world examples (no masks) or a model without a patch grid.
import {
  DissectionIouAccumulator,
  DissectionThresholds,
  type ConceptScore,
  type ExampleConceptMask,
} from "@mmatlas/atlas";
import type { PrismaClient } from "@mmatlas/db";
import type { Runner } from "@mmatlas/inference";
import { exampleConceptMasks, IMAGE_SIZE } from "@mmatlas/model-zoo";
import type { UnitSetPlan } from "../plan/build-plan";
import type { ExampleRow } from "../pass/examples";
import { headLayout, runTower, setTensor } from "../pass/run-batch";
import { wordLabel } from "./concepts";

export const DISSECTION_IMAGES = 512;

/** The dissection concept of a mask tag: word:<w> → "the word <w>", "typographic" as is, else the value. */
export function dissectionConcept(tag: string): string {
  if (tag.startsWith("word:")) return wordLabel(tag.slice(5));
  return tag.slice(tag.indexOf(":") + 1);
}

/** Per example row, its shapes-world seed (null when any row is not a generated shapes-world image). */
async function shapesSeeds(prisma: PrismaClient, datasetId: string, rows: ExampleRow[]): Promise<number[] | null> {
  const metas = await prisma.example.findMany({
    where: { datasetId, index: { in: rows.map((r) => r.index) } },
    select: { index: true, meta: true },
  });
  const seedOf = new Map<number, number>();
  for (const m of metas) {
    const meta = m.meta as { source?: unknown; seed?: unknown } | null;
    if (meta?.source === "shapes-world" && typeof meta.seed === "number") seedOf.set(m.index, meta.seed);
  }
  return rows.every((r) => seedOf.has(r.index)) ? rows.map((r) => seedOf.get(r.index)!) : null;
}

export async function networkDissectionForSets(
  prisma: PrismaClient,
  runner: Runner,
  datasetId: string,
  probeRows: ExampleRow[],
  sets: UnitSetPlan[],
  concepts: string[],
  batchSize: number,
  count = 5,
): Promise<Map<string, ConceptScore[][]> | null> {
  const rows = probeRows.slice(0, DISSECTION_IMAGES);
  const vision = sets.filter((s) => s.tower === "VISION" && s.kind !== "ATTENTION_HEAD");
  if (vision.length === 0 || rows.length === 0) return null;
  const layout = headLayout(runner, "VISION", vision[0].positions).layout;
  if (layout.kind !== "grid") return null;
  const seeds = await shapesSeeds(prisma, datasetId, rows);
  if (!seeds) return null;
  const grid = { rows: layout.rows, cols: layout.cols, firstPatch: layout.firstPatch };
  const pass1 = new Map(
    vision.map((s) => [
      s.key,
      new DissectionThresholds({ units: s.units, positions: s.positions, grid, totalExamples: rows.length }),
    ]),
  );
  for (let start = 0; start < rows.length; start += batchSize) {
    const run = await runTower(runner, "VISION", rows.slice(start, start + batchSize), vision, batchSize);
    for (const s of vision) pass1.get(s.key)!.add(setTensor(s, run.result));
  }
  const pass2 = new Map(
    vision.map((s) => [
      s.key,
      new DissectionIouAccumulator({
        units: s.units,
        positions: s.positions,
        grid,
        concepts,
        thresholds: pass1.get(s.key)!.thresholds(),
        maskRows: IMAGE_SIZE,
        maskCols: IMAGE_SIZE,
      }),
    ]),
  );
  const known = new Set(concepts);
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const masks: ExampleConceptMask[][] = batch.map((r, i) =>
      exampleConceptMasks(seeds[start + i], r.index)
        .map((m) => ({ concept: dissectionConcept(m.tag), mask: m.mask }))
        .filter((m) => known.has(m.concept)),
    );
    const run = await runTower(runner, "VISION", batch, vision, batchSize);
    for (const s of vision) pass2.get(s.key)!.add(setTensor(s, run.result), masks);
  }
  return new Map(
    vision.map((s) => [
      s.key,
      pass2
        .get(s.key)!
        .result(count)
        .map((d) => d.concepts.map((c) => ({ concept: c.concept, score: c.iou }))),
    ]),
  );
}
