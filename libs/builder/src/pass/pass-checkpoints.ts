// The streaming pass's checkpoint write in flight: a write runs while the next batch is processed (the states were
// copied by the snapshot, the checkpoint object by the caller) and is awaited (settle) before that batch reports or
// writes, so its error (e.g. the job was cancelled meanwhile) still stops the build, one batch later at most.
// When to write is the caller's policy (CheckpointPacer); `onWritten` reports each write's start and end (ms).
import { PassProfile } from "./pass-profile";

export class PassCheckpoints {
  private inFlight: Promise<void> | null = null;
  /** a write has started and not finished yet */
  writing = false;

  constructor(
    private readonly profile = new PassProfile(),
    private readonly onWritten?: (startMs: number, endMs: number) => void,
  ) {}

  /** starts a write; settle() the previous one first */
  start(write: () => Promise<void>): void {
    if (this.inFlight) throw new Error("PassCheckpoints.start: the previous write is not settled");
    const t = performance.now(),
      started = Date.now();
    this.writing = true;
    this.inFlight = write()
      .then(() => this.onWritten?.(started, Date.now()))
      .finally(() => {
        this.writing = false;
        this.profile.add("checkpoint.save", performance.now() - t);
      });
    this.inFlight.catch(() => undefined); // awaited by settle(); never an unhandled rejection meanwhile
  }

  /** waits for the write in flight; rethrows its error */
  async settle(): Promise<void> {
    const w = this.inFlight;
    this.inFlight = null;
    if (w) await this.profile.timeAsync("wait.checkpoint", () => w);
  }
}
