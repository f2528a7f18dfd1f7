// The JSON resume point stored in Job.checkpoint after every batch: where each tower's stream stands (last
// example index consumed), every accumulator's snapshot, and which unit sets are already written.
import type { HeadStateSnapshot } from "../pass/head-state";
import type { UnitSetStateSnapshot } from "../pass/unit-set-state";
import type { TowerName } from "../plan/build-plan";

export interface BuildCheckpoint {
  kind: "atlas-build";
  version: 1;
  towers: Partial<Record<TowerName, { afterIndex: number; done: boolean; examples: number }>>;
  examplesDone: number;
  states: Record<
    string,
    { kind: "units"; snapshot: UnitSetStateSnapshot } | { kind: "heads"; snapshot: HeadStateSnapshot }
  >;
  finalizedSets: string[];
  batches: number;
}

export function isBuildCheckpoint(v: unknown): v is BuildCheckpoint {
  return (
    !!v &&
    typeof v === "object" &&
    (v as BuildCheckpoint).kind === "atlas-build" &&
    (v as BuildCheckpoint).version === 1
  );
}
