// Wall-clock time per step of the streaming pass (read, decode, inference, each accumulator, checkpoint), summed
// over batches, so a build reports where its pass time goes (Job.metrics.timings, `npm run bench:pipeline`).
// Steps may overlap (the next batch is read while the current one runs), so they need not add up to the pass.
export class PassProfile {
  private readonly ms = new Map<string, number>();

  add(step: string, ms: number): void {
    this.ms.set(step, (this.ms.get(step) ?? 0) + ms);
  }

  time<T>(step: string, f: () => T): T {
    const t = performance.now();
    try {
      return f();
    } finally {
      this.add(step, performance.now() - t);
    }
  }

  async timeAsync<T>(step: string, f: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await f();
    } finally {
      this.add(step, performance.now() - t);
    }
  }

  /** seconds per step (rounded to ms), in the order the steps were first seen */
  seconds(): Record<string, number> {
    return Object.fromEntries([...this.ms].map(([k, v]) => [k, Math.round(v) / 1000]));
  }
}
