// `atlas export annotations|atlas`: annotations as JSONL (lossless, re-importable) or CSV, and the atlas as
// Neuronpedia-like JSONL (features, activations, explanations). Writes to --out or stdout.
import type { Command } from "commander";
import { UnitKind } from "@mmatlas/db";
import { exportAnnotations, exportAtlas, type AnnotationFormat } from "@mmatlas/porting";
import { withDatabase, writeLines } from "../lib/with-database";

const KINDS = Object.values(UnitKind);

export function registerExportCommand(program: Command): void {
  const cmd = program.command("export").description("export annotations or the atlas from the local database");

  cmd
    .command("annotations")
    .description("annotations (non-draft unless --include-drafts) in (updatedAt, id) order")
    .option("-f, --format <format>", "jsonl | csv", "jsonl")
    .option("-o, --out <file>", "output file (default: stdout)")
    .option("--model <name|id>", "only this model (name or id)")
    .option("--hook <name>", "only this hook point name")
    .option("--status <status>", "DRAFT | PROPOSED | ACCEPTED | REJECTED")
    .option("--since <iso date>", "only annotations changed at or after this time")
    .option("--include-drafts", "include everyone's drafts (for backups)")
    .action(
      async (opts: {
        format: string;
        out?: string;
        model?: string;
        hook?: string;
        status?: string;
        since?: string;
        includeDrafts?: boolean;
      }) => {
        if (opts.format !== "jsonl" && opts.format !== "csv")
          throw new Error(`--format must be jsonl or csv, got ${opts.format}`);
        const since = opts.since ? new Date(opts.since) : null;
        if (since && Number.isNaN(since.getTime())) throw new Error(`--since is not a date: ${opts.since}`);
        const filter = { modelId: opts.model, hookName: opts.hook, status: opts.status as never, updatedSince: since };
        const n = await withDatabase((prisma) =>
          writeLines(
            exportAnnotations(prisma, {
              format: opts.format as AnnotationFormat,
              filter,
              includeDrafts: opts.includeDrafts,
            }),
            opts.out,
          ),
        );
        if (opts.out) console.error(`wrote ${opts.format === "csv" ? n - 1 : n} annotations to ${opts.out}`);
      },
    );

  cmd
    .command("atlas")
    .description("Neuronpedia-like JSONL: one line per unit with statistics, explanations and top activations")
    .option("-o, --out <file>", "output file (default: stdout)")
    .option("--model <name|id>", "only this model (name or id)")
    .option("--hook <name>", "only this hook point name")
    .option("--kind <kind>", KINDS.join(" | "))
    .option("--top <k>", "top activations per unit", "20")
    .action(async (opts: { out?: string; model?: string; hook?: string; kind?: string; top: string }) => {
      if (opts.kind && !KINDS.includes(opts.kind as never))
        throw new Error(`--kind must be one of ${KINDS.join(", ")}`);
      const topK = Number(opts.top);
      if (!Number.isInteger(topK) || topK < 0) throw new Error("--top must be a non-negative integer");
      const n = await withDatabase((prisma) =>
        writeLines(
          exportAtlas(prisma, { model: opts.model, hook: opts.hook, kind: opts.kind as never, topK }),
          opts.out,
        ),
      );
      if (opts.out) console.error(`wrote ${n} units to ${opts.out}`);
    });
}
