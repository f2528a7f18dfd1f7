// When the pass writes a checkpoint: every `every` batches as the job asks, but never so often that writing
// checkpoints takes more than `share` of the pass. A real-size model's checkpoint is gigabytes and takes seconds;
// the built-in model's takes milliseconds, so small builds still checkpoint every batch.
export interface CheckpointPacerOptions {
  /** batches between checkpoints at least (Job params checkpointEvery) */
  every: number;
  /** largest share of wall time spent writing checkpoints (default 0.1) */
  share?: number;
}

export class CheckpointPacer {
  private lastEnd: number;
  private lastCost = 0;
  private readonly share: number;

  constructor(
    private readonly options: CheckpointPacerOptions,
    now: number,
  ) {
    this.share = options.share ?? 0.1;
    this.lastEnd = now;
  }

  /** true when batch number `batches` (1-based) should end with a checkpoint at time `now` (ms) */
  due(batches: number, now: number): boolean {
    if (batches % this.options.every !== 0) return false;
    // writing took lastCost; waiting lastCost·(1−share)/share after it keeps writing ≤ share of the time
    return now - this.lastEnd >= (this.lastCost * (1 - this.share)) / this.share;
  }

  /** records a checkpoint written from `start` to `end` (ms) */
  record(start: number, end: number): void {
    this.lastCost = Math.max(0, end - start);
    this.lastEnd = end;
  }
}
