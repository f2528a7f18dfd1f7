// Debounced rescoring after label edits: `touch(unitId)` (synchronous, never awaits anything, so a collaborative
// edit is never held up) restarts a per-unit timer; `delayMs` after a unit's last edit one SCORE_LABELS job is
// created for every unit whose timer ran out together, and handed to the job queue. A job of the unit that is
// still queued absorbs the new edit (no duplicate jobs). Failures are logged, never thrown.
import type { PrismaClient } from "@mmatlas/db";
import { createScoreLabelsJob } from "./score-job";

export interface LabelRescoreSchedulerOptions {
  /** quiet time after the last edit of a unit (default 3000 ms) */
  delayMs?: number;
  log?: (msg: string) => void;
}

export class LabelRescoreScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly due = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly enqueue: (jobId: string) => Promise<void>,
    private readonly opts: LabelRescoreSchedulerOptions = {},
  ) {}

  /** A label of `unitId` changed. */
  touch(unitId: string): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(unitId));
    const t = setTimeout(() => {
      this.timers.delete(unitId);
      this.due.add(unitId);
      // units whose quiet time ends within the same tick share one job per model
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = null;
        void this.flush();
      }, 0);
    }, this.opts.delayMs ?? 3000);
    t.unref?.();
    this.timers.set(unitId, t);
  }

  /** units waiting for their quiet time to end */
  get pending(): number {
    return this.timers.size + this.due.size;
  }

  private async flush(): Promise<void> {
    const due = [...this.due];
    this.due.clear();
    const byModel = new Map<string, string[]>();
    try {
      const rows = await this.prisma.unit.findMany({
        where: { id: { in: due }, kind: { not: "ATTENTION_HEAD" } },
        select: { id: true, modelId: true },
      });
      for (const r of rows) byModel.set(r.modelId, [...(byModel.get(r.modelId) ?? []), r.id]);
    } catch (e) {
      this.opts.log?.(`label rescoring: cannot read units: ${(e as Error).message}`);
    }
    for (const [modelId, unitIds] of byModel) {
      try {
        const queued = await this.prisma.job.findMany({
          where: { kind: "SCORE_LABELS", status: "QUEUED" },
          select: { params: true },
        });
        const covered = new Set(
          queued.flatMap((j) => {
            const p = j.params as { modelId?: string; unitIds?: string[] | null };
            return p.modelId === modelId ? (p.unitIds ?? []) : [];
          }),
        );
        const fresh = unitIds.filter((u) => !covered.has(u));
        if (fresh.length === 0) continue;
        const job = await createScoreLabelsJob(this.prisma, { modelId, unitIds: fresh });
        await this.enqueue(job.id);
      } catch (e) {
        this.opts.log?.(`label rescoring of ${unitIds.length} unit(s) failed to start: ${(e as Error).message}`);
      }
    }
  }

  /** Drops pending timers (server shutdown). */
  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.due.clear();
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }
}
