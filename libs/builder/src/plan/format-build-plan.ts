// A build plan as text (the CLI's `build --dry-run`): one line per unit set (units, positions, accumulator
// state, hook-tensor bytes per example), then the batch size and the pass's memory against its budget.
import type { AtlasBuildPlanSummary } from "../jobs/create-job";
import { describePassMemory } from "./memory-plan";

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

export function formatBuildPlan(plan: AtlasBuildPlanSummary): string {
  const head = ["unit set", "kind", "units", "positions", "state", "tensor per example"];
  const rows = plan.sets.map((s, i) => [
    s.key,
    s.kind,
    String(s.units),
    String(s.positions),
    mb(plan.memory.sets[i].stateBytes),
    mb(plan.memory.sets[i].bytesPerExample),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const table = [head, ...rows].map((r) =>
    r
      .map((x, i) => (i >= 2 ? x.padStart(widths[i]) : x.padEnd(widths[i])))
      .join("  ")
      .trimEnd(),
  );
  const { params, memory, budget } = plan;
  return [
    ...table,
    "",
    `${plan.sets.length} unit sets, k = ${params.k}, batch size ${params.batchSize}`,
    `memory: ${describePassMemory(memory, budget, params.batchSize)}`,
  ].join("\n");
}
