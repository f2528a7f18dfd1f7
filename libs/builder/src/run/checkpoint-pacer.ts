// When the pass writes a checkpoint: every `every` batches as the job asks, but not before the pass has run
// `firstAfterMs` (a pass that ends within seconds gets only its end-of-pass checkpoint: a crash loses little, and
// it does not pay for mid-pass writes), and never so often that writing checkpoints takes more than `share` of the
// pass — the first one included, from its expected cost. A real-size model's checkpoint is gigabytes and takes
// seconds (its first mid-pass checkpoint comes minutes into the pass); the built-in model's takes milliseconds.
// The end-of-pass checkpoint is the caller's and always written.
export interface CheckpointPacerOptions {
  /** batches between checkpoints at least (Job params checkpointEvery) */
  every: number;
  /** largest share of wall time spent writing checkpoints (default 0.05) */
  share?: number;
  /** no checkpoint before this much of the pass has run (ms; default 0; Job params checkpointAfterSeconds) */
  firstAfterMs?: number;
  /** what the first checkpoint is expected to cost (ms, from the states' size): the first one then keeps ≤ `share`
   *  too, as if a checkpoint of that cost had been written when the pass started (default 0) */
  expectedCostMs?: number;
}

/** Checkpoint bytes written per ms, snapshot copy included (≈ 1.16 GB in ≈ 8 s at ViT-B/32 size on 2 cores). */
export const CHECKPOINT_BYTES_PER_MS = 150_000;

export class CheckpointPacer {
  private readonly started: number;
  private lastEnd: number;
  private lastCost = 0;
  private readonly share: number;
  private readonly firstAfterMs: number;

  constructor(
    private readonly options: CheckpointPacerOptions,
    now: number,
  ) {
    this.share = options.share ?? 0.05;
    this.firstAfterMs = options.firstAfterMs ?? 0;
    this.started = now;
    this.lastEnd = now;
    this.lastCost = Math.max(0, options.expectedCostMs ?? 0);
  }

  /** true when batch number `batches` (1-based) should end with a checkpoint at time `now` (ms) */
  due(batches: number, now: number): boolean {
    if (batches % this.options.every !== 0) return false;
    if (now - this.started < this.firstAfterMs) return false;
    // writing took lastCost; waiting lastCost·(1−share)/share after it keeps writing ≤ share of the time
    return now - this.lastEnd >= (this.lastCost * (1 - this.share)) / this.share;
  }

  /** records a checkpoint written from `start` to `end` (ms) */
  record(start: number, end: number): void {
    this.lastCost = Math.max(0, end - start);
    this.lastEnd = end;
  }
}
