// Reads the pass's batches in stream order (tower after tower, ascending Example.index) and decodes them into model
// inputs, one call per batch, so the build loop can prepare batch i+1 while the model runs batch i. A decode error
// is kept on its batch (not thrown here), so the batches before it are still fed and checkpointed first.
import type { PrismaClient } from "@mmatlas/db";
import type { Runner } from "@mmatlas/inference";
import type { TowerName } from "../plan/build-plan";
import { readExamples, type ExampleRow } from "./examples";
import { PassProfile } from "./pass-profile";
import { prepareInput, type TowerInput } from "./run-batch";

export interface PreparedBatch {
  tower: TowerName;
  rows: ExampleRow[];
  /** null for an empty batch (the tower's end) or when decoding failed */
  input: TowerInput | null;
  error: unknown;
  /** the last batch of its tower (fewer rows than the batch size) */
  last: boolean;
}

export class BatchReader {
  private tower = 0;
  private readonly after: number[];

  /** `towers`: the towers still to stream, each resuming after `afterIndex(tower)` */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly runner: Runner,
    private readonly datasetId: string,
    private readonly towers: TowerName[],
    afterIndex: (t: TowerName) => number,
    private readonly batchSize: number,
    private readonly profile = new PassProfile(),
  ) {
    this.after = towers.map(afterIndex);
  }

  /** the next batch, or null after the last tower's end */
  async next(): Promise<PreparedBatch | null> {
    if (this.tower >= this.towers.length) return null;
    const t = this.tower,
      tower = this.towers[t];
    const rows = await this.profile.timeAsync("read", () =>
      readExamples(this.prisma, this.datasetId, tower, this.after[t], this.batchSize),
    );
    const last = rows.length < this.batchSize;
    if (rows.length > 0) this.after[t] = rows[rows.length - 1].index;
    if (last) this.tower++;
    let input: TowerInput | null = null,
      error: unknown = null;
    if (rows.length > 0) {
      try {
        input = prepareInput(this.runner, tower, rows, this.profile);
      } catch (e) {
        error = e;
      }
    }
    return { tower, rows, input, error, last };
  }
}
