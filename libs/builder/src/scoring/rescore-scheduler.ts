// Debounced rescoring after label edits: `touch(unitId)` (synchronous, never awaits anything, so a collaborative
// edit is never held up) restarts a per-unit quiet-time timer. When a unit's timer runs out, every unit whose quiet
// time ends within the next `batchMs` is taken with it (deadline-based, so units edited together share one
// SCORE_LABELS job per model however the event loop orders their timers), and the jobs go to the job queue. A job
// of the unit that is still queued absorbs the new edit (no duplicate jobs). Failures are logged, never thrown.
import type { PrismaClient } from "@mmatlas/db";
import { createScoreLabelsJob } from "./score-job";

export interface LabelRescoreSchedulerOptions {
  /** quiet time after the last edit of a unit (default 3000 ms) */
  delayMs?: number;
  /** units whose quiet time ends within this many ms of the first one share its job (default delayMs / 4, ≤ 500) */
  batchMs?: number;
  log?: (msg: string) => void;
}

export class LabelRescoreScheduler {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; deadline: number }>();
  private closed = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly enqueue: (jobId: string) => Promise<void>,
    private readonly opts: LabelRescoreSchedulerOptions = {},
  ) {}

  private get delayMs(): number {
    return this.opts.delayMs ?? 3000;
  }

  private get batchMs(): number {
    return this.opts.batchMs ?? Math.min(500, this.delayMs / 4);
  }

  /** A label of `unitId` changed. */
  touch(unitId: string): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(unitId)?.timer);
    const timer = setTimeout(() => this.takeDue(unitId), this.delayMs);
    timer.unref?.();
    this.timers.set(unitId, { timer, deadline: Date.now() + this.delayMs });
  }

  /** units waiting for their quiet time to end */
  get pending(): number {
    return this.timers.size;
  }

  /** Takes `firstUnitId` and every unit whose quiet time ends within `batchMs` from now; starts their jobs. */
  private takeDue(firstUnitId: string): void {
    const horizon = Date.now() + this.batchMs;
    const due: string[] = [];
    for (const [unitId, { timer, deadline }] of this.timers) {
      if (unitId !== firstUnitId && deadline > horizon) continue;
      clearTimeout(timer);
      this.timers.delete(unitId);
      due.push(unitId);
    }
    if (due.length > 0) void this.flush(due);
  }

  private async flush(due: string[]): Promise<void> {
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
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
