// Ground truth of eval:labels on a shapes world drawn with another seed than the one that produced the labels:
// ingest it, run the model's built neuron / SAE sets over every example (max over positions, as the build's
// top-k), and keep each unit's top-k examples' tags (ties: lower index first), keyed by unit slug.
import type { PrismaClient } from "@mmatlas/db";
import { ingestShapesDataset, type ShapesDatasetOptions } from "../dataset/ingest-shapes";
import { runProbe } from "../finalize/probe";
import { resolveBuildPlan, unitSlug, type TowerName } from "../plan/build-plan";
import { openModelRunner } from "../run/atlas-build";

/** Indices of the k largest values of column u of a [rows × units] matrix (ties: lower row first). */
export function topRowsOfColumn(values: Float32Array, units: number, u: number, k: number): number[] {
  const rows = values.length / units;
  const order = Array.from({ length: rows }, (_, i) => i);
  order.sort((a, b) => values[b * units + u] - values[a * units + u] || a - b);
  return order.slice(0, Math.min(k, rows));
}

export async function heldOutTopTags(
  prisma: PrismaClient,
  modelId: string,
  dataset: ShapesDatasetOptions,
  k: number,
  batchSize = 512,
): Promise<Map<string, string[][]>> {
  const model = await prisma.model.findUniqueOrThrow({ where: { id: modelId } });
  const built = await prisma.unit.findMany({
    where: { modelId, kind: { in: ["NEURON", "SAE_FEATURE"] }, topActivations: { some: {} } },
    select: { hookPoint: { select: { name: true } }, dictionary: { select: { name: true } } },
    distinct: ["hookPointId", "dictionaryId"],
  });
  const hooks = [...new Set(built.filter((u) => !u.dictionary).map((u) => u.hookPoint.name))].sort();
  const dictionaries = [...new Set(built.flatMap((u) => (u.dictionary ? [u.dictionary.name] : [])))].sort();
  const ds = await ingestShapesDataset(prisma, dataset);
  const runner = await openModelRunner(prisma, model);
  const out = new Map<string, string[][]>();
  try {
    const plan = await resolveBuildPlan(prisma, runner, model, hooks, dictionaries);
    for (const tower of ["VISION", "TEXT"] as TowerName[]) {
      const sets = plan.sets.filter((s) => s.tower === tower && s.kind !== "ATTENTION_HEAD");
      if (sets.length === 0) continue;
      const probe = await runProbe(prisma, runner, ds.id, tower, sets, dataset.images + dataset.texts, batchSize);
      if (!probe) continue;
      for (const set of sets) {
        const acts = probe.activations.get(set.key)!;
        for (let u = 0; u < set.units; u++)
          out.set(
            unitSlug(model.name, set, u),
            topRowsOfColumn(acts, set.units, u, k).map((r) => probe.rows[r].tags),
          );
      }
    }
  } finally {
    await runner.close();
  }
  return out;
}
