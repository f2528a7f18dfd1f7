// Process-wide cache of ProbeModelRunners, one per model (per database client). The model's rows (model, hook
// points, dictionaries) are cached for a few seconds (PROBE_ROWS_TTL_MS, default 5000; they change only when a
// model or SAE is imported) and the runner is rebuilt only when its hook points or dictionaries changed.
import type { PrismaClient } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { ProbeModelRunner, rowsSignature, type ProbeModelRows, type ProbeRunnerOptions } from "./model-runner";

export interface ProbeRegistryOptions extends ProbeRunnerOptions {
  /** how long model rows are reused before they are read again (ms; default PROBE_ROWS_TTL_MS or 5000; 0 = always read) */
  rowsTtlMs?: number;
}

export class ProbeRegistry {
  private readonly prisma: PrismaClient;
  private readonly opts: ProbeRegistryOptions;
  private readonly rowsTtlMs: number;
  private readonly runners = new Map<string, Promise<ProbeModelRunner>>();
  private readonly rowCache = new Map<string, { at: number; rows: Promise<ProbeModelRows> }>();

  constructor(prisma: PrismaClient, opts: ProbeRegistryOptions = {}) {
    this.prisma = prisma;
    this.opts = opts;
    const env = Number(process.env.PROBE_ROWS_TTL_MS);
    this.rowsTtlMs = opts.rowsTtlMs ?? (Number.isFinite(env) && env >= 0 ? env : 5000);
  }

  /** The Model row (by id or name) with its hook points and dictionaries (cached for rowsTtlMs); NOT_FOUND when unknown. */
  rows(modelIdOrName: string): Promise<ProbeModelRows> {
    if (typeof modelIdOrName !== "string" || !modelIdOrName)
      return Promise.reject(AppError.badInput("modelId is required", "modelId"));
    const now = Date.now();
    const hit = this.rowCache.get(modelIdOrName);
    if (hit && now - hit.at < this.rowsTtlMs) return hit.rows;
    const rows = this.readRows(modelIdOrName);
    if (this.rowsTtlMs > 0) {
      this.rowCache.set(modelIdOrName, { at: now, rows });
      rows.catch(() => this.rowCache.delete(modelIdOrName)); // an unknown model is not remembered
    }
    return rows;
  }

  /** Forget cached rows (e.g. right after importing an SAE) so the next probe reads them again. */
  invalidate(modelIdOrName?: string): void {
    if (modelIdOrName === undefined) this.rowCache.clear();
    else this.rowCache.delete(modelIdOrName);
  }

  private async readRows(modelIdOrName: string): Promise<ProbeModelRows> {
    const model = await this.prisma.model.findFirst({
      where: { OR: [{ id: modelIdOrName }, { name: modelIdOrName }] },
      include: {
        hookPoints: { orderBy: [{ tower: "asc" }, { layer: "asc" }, { name: "asc" }] },
        dictionaries: { orderBy: [{ name: "asc" }] },
      },
    });
    if (!model) throw AppError.notFound("Model", modelIdOrName);
    const { hookPoints, dictionaries, ...row } = model;
    return { model: row, hookPoints, dictionaries };
  }

  /** The runner for these rows, opened once and reused while the rows stay the same. */
  runner(rows: ProbeModelRows): Promise<ProbeModelRunner> {
    const key = rows.model.id;
    const signature = rowsSignature(rows);
    const cached = this.runners.get(key);
    if (cached) {
      return cached.then((r) => {
        if (r.signature === signature) return r;
        if (this.runners.get(key) === cached) {
          this.runners.delete(key);
          void r.close();
        }
        return this.runner(rows);
      });
    }
    const opened = ProbeModelRunner.open(rows, this.opts);
    this.runners.set(key, opened);
    opened.catch(() => {
      if (this.runners.get(key) === opened) this.runners.delete(key);
    });
    return opened;
  }

  /** Opens the runner of a model ahead of the first probe (e.g. at server start). */
  async warm(modelIdOrName: string): Promise<void> {
    await this.runner(await this.rows(modelIdOrName));
  }

  async close(): Promise<void> {
    const all = [...this.runners.values()];
    this.runners.clear();
    this.rowCache.clear();
    await Promise.all(all.map((p) => p.then((r) => r.close()).catch(() => undefined)));
  }
}

const registries = new WeakMap<PrismaClient, ProbeRegistry>();

/** The shared registry of a database client (created on first use). */
export function probeRegistryFor(prisma: PrismaClient): ProbeRegistry {
  let r = registries.get(prisma);
  if (!r) {
    r = new ProbeRegistry(prisma);
    registries.set(prisma, r);
  }
  return r;
}
