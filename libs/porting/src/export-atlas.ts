// Exports an atlas as Neuronpedia-like JSONL: one line per unit (feature/neuron/head) with its statistics,
// explanations (human annotations that are PROPOSED/ACCEPTED, then automatic labels) and top activations
// with their examples (text, or dataset + index for images). Streams in the stable unit order.
import { resolveModelId } from "@mmatlas/catalog";
import type { Prisma, PrismaClient, UnitKind } from "@mmatlas/db";

/** model: a model name or id (NOT_FOUND when there is none) */
export interface AtlasExportOptions {
  model?: string;
  hook?: string;
  kind?: UnitKind;
  topK?: number;
}

export interface AtlasFeatureRecord {
  modelId: string;
  layer: string;
  source: string;
  index: number;
  kind: string;
  slug: string;
  maxActivation: number | null;
  density: number | null;
  multimodalScore: number | null;
  histogram: unknown;
  explanations: {
    description: string;
    method: string;
    author: string | null;
    status: string | null;
    score: number | null;
  }[];
  activations: {
    band: string;
    rank: number;
    maxValue: number;
    values: number[];
    dataset: string;
    exampleIndex: number;
    modality: string;
    text: string | null;
    tags: string[];
  }[];
}

const PAGE = 200;

export async function* exportAtlas(prisma: PrismaClient, opts: AtlasExportOptions = {}): AsyncGenerator<string> {
  const where: Prisma.UnitWhereInput = {
    ...(opts.model ? { modelId: await resolveModelId(prisma, opts.model, "model") } : {}),
    ...(opts.hook ? { hookPoint: { name: opts.hook } } : {}),
    ...(opts.kind ? { kind: opts.kind } : {}),
  };
  const topK = opts.topK ?? 20;
  type Key = { hookPointId: string; index: number; id: string };
  const page = (a: Key | null) =>
    prisma.unit.findMany({
      where: a
        ? {
            AND: [
              where,
              {
                OR: [
                  { hookPointId: { gt: a.hookPointId } },
                  { hookPointId: a.hookPointId, index: { gt: a.index } },
                  { hookPointId: a.hookPointId, index: a.index, id: { gt: a.id } },
                ],
              },
            ],
          }
        : where,
      orderBy: [{ hookPointId: "asc" }, { index: "asc" }, { id: "asc" }],
      take: PAGE,
      include: {
        model: true,
        hookPoint: true,
        dictionary: true,
        annotations: {
          where: { status: { in: ["PROPOSED", "ACCEPTED"] } },
          include: { author: true },
          orderBy: [{ status: "asc" }, { voteScore: "desc" }, { id: "asc" }],
        },
        topActivations: {
          include: { example: { include: { dataset: true } } },
          orderBy: [{ band: "asc" }, { bandIndex: "asc" }, { rank: "asc" }],
          take: topK,
        },
      },
    });
  let after: Key | null = null;
  for (;;) {
    const units = await page(after);
    for (const u of units) {
      const autoLabels = Array.isArray(u.autoLabels)
        ? (u.autoLabels as { label?: string; method?: string; score?: number }[])
        : [];
      const record: AtlasFeatureRecord = {
        modelId: u.model.name,
        layer: u.hookPoint.name,
        source: u.dictionary?.name ?? (u.kind === "ATTENTION_HEAD" ? "heads" : "neurons"),
        index: u.index,
        kind: u.kind,
        slug: u.slug,
        maxActivation: u.maxActivation,
        density: u.density,
        multimodalScore: u.multimodalScore,
        histogram: u.histogram ?? null,
        explanations: [
          ...u.annotations.map((x) => ({
            description: x.label,
            method: "human",
            author: x.author.displayName,
            status: x.status,
            score: x.voteScore,
          })),
          ...autoLabels
            .filter((l) => typeof l.label === "string")
            .map((l) => ({
              description: l.label!,
              method: l.method ?? "auto",
              author: null,
              status: null,
              score: typeof l.score === "number" ? l.score : null,
            })),
        ],
        activations: u.topActivations.map((t) => ({
          band: t.band,
          rank: t.rank,
          maxValue: t.maxValue,
          values: t.values,
          dataset: t.example.dataset.name,
          exampleIndex: t.example.index,
          modality: t.example.modality,
          text: t.example.text,
          tags: t.example.tags,
        })),
      };
      yield `${JSON.stringify(record)}\n`;
    }
    if (units.length < PAGE) return;
    const last = units[units.length - 1];
    after = { hookPointId: last.hookPointId, index: last.index, id: last.id } satisfies Key;
  }
}
