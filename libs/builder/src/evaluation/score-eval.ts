// Does the label scorer recognise the right label? For every monosemantic neuron / SAE feature of a stored atlas
// (label-eval's rule: ≥ `threshold` of its top-k examples share a vocabulary concept), the scorer scores the
// ground-truth concept (the most shared one) and every clearly wrong concept of the vocabulary (shared by at
// most `wrongShare` of the top-k examples); it is right for the unit when the correct label's detection AUROC
// is above a wrong label's. Reported: vs one wrong label drawn per unit (seeded) and vs every wrong label
// (mean share of wrong labels beaten), overall and per layer, plus the AUROC distributions and the units missed.
import { groundTruthConcepts, SeededRng } from "@mmatlas/atlas";
import type { PrismaClient } from "@mmatlas/db";
import { shapesConceptVocabulary } from "../finalize/concepts";
import { labelKey } from "../scoring/label-text";
import { parseScoreParams, runScoreLabels } from "../scoring/score-job";
import type { PredictorKind, TextPredictorKind } from "../scoring/unit-label-scores";
import type { LabelScoreRecord } from "../scoring/unit-label-scores";

export interface ScoreEvalRow {
  layer: string;
  monosemantic: number;
  /** correct AUROC > the drawn wrong label's */
  correctAboveWrong: number;
  rate: number | null;
  /** mean over units of the share of wrong labels the correct one beats */
  meanShareBeaten: number | null;
}

export interface ScoreEvalReport {
  units: number;
  monosemantic: number;
  rows: ScoreEvalRow[];
  /** quartiles [min, q1, median, q3, max] of detection AUROC of the correct / the drawn wrong labels */
  correctAuroc: number[];
  wrongAuroc: number[];
  correctLocalization: number[];
  correctTagAuroc: number[];
  /** units where the drawn wrong label scored at least the correct one */
  misses: { layer: string; correct: string; wrong: string; correctAuroc: number | null; wrongAuroc: number | null }[];
  seconds: number;
}

const quartiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.round(p * (s.length - 1)))] : NaN);
  return [0, 0.25, 0.5, 0.75, 1].map((p) => Math.round(q(p) * 1000) / 1000);
};

export async function evaluateLabelScorer(
  prisma: PrismaClient,
  modelId: string,
  opts: {
    threshold?: number;
    wrongShare?: number;
    seed?: number;
    scoreSize?: number;
    predictor?: PredictorKind;
    textPredictor?: TextPredictorKind;
  } = {},
): Promise<ScoreEvalReport> {
  const threshold = opts.threshold ?? 0.8,
    wrongShare = opts.wrongShare ?? 0.2;
  // single concepts only: a compositional label ("red circle") is neither the ground truth nor clearly wrong
  const vocabulary = shapesConceptVocabulary().labels.filter((l) => !l.includes(" "));
  const inVocab = new Set(vocabulary);
  const units = await prisma.unit.findMany({
    where: { modelId, kind: { in: ["NEURON", "SAE_FEATURE"] }, topActivations: { some: {} } },
    select: {
      id: true,
      kind: true,
      hookPoint: { select: { name: true } },
      dictionary: { select: { architecture: true } },
      topActivations: { where: { band: "TOP" }, select: { example: { select: { tags: true } } } },
    },
    orderBy: { slug: "asc" }, // the wrong labels are drawn in this order: the same atlas gives the same report
  });
  const rng = new SeededRng(opts.seed ?? 17);
  const cases = new Map<string, { layer: string; correct: string; wrong: string[]; drawn: string }>();
  for (const u of units) {
    const gt = groundTruthConcepts(
      u.topActivations.map((t) => t.example.tags),
      threshold,
      (tag) => {
        const c = tag.slice(tag.lastIndexOf(":") + 1).toLowerCase();
        return inVocab.has(c) ? c : null;
      },
    );
    if (gt.concepts.length === 0) continue;
    const wrong = vocabulary.filter((c) => (gt.shares[c] ?? 0) <= wrongShare);
    if (wrong.length === 0) continue;
    const layer = `${u.hookPoint.name} (${u.kind === "SAE_FEATURE" ? `SAE ${u.dictionary?.architecture.toLowerCase()}` : "neurons"})`;
    cases.set(u.id, { layer, correct: gt.concepts[0], wrong, drawn: wrong[rng.nextInt(wrong.length)] });
  }
  const records = new Map<string, Map<string, LabelScoreRecord>>();
  const started = Date.now();
  // parseScoreParams: the job's defaults, and a typed error for an unknown predictor
  const params = parseScoreParams({
    modelId,
    scoreSize: opts.scoreSize,
    batchSize: 512,
    predictor: opts.predictor,
    textPredictor: opts.textPredictor,
  });
  await runScoreLabels(
    prisma,
    { ...params, unitIds: [...cases.keys()] },
    {
      write: false,
      labelsOf: (u) => {
        const c = cases.get(u.id)!;
        return new Map(
          [c.correct, ...c.wrong].map((l) => [labelKey(l), { label: l, sources: ["evaluation"], eligible: false }]),
        );
      },
      onRecords: (rs) => {
        for (const r of rs) {
          const m = records.get(r.unitId) ?? new Map();
          m.set(r.labelKey, r);
          records.set(r.unitId, m);
        }
      },
    },
  );
  const byLayer = new Map<string, { mono: number; right: number; share: number; shareN: number }>();
  const correctAuroc: number[] = [],
    wrongAuroc: number[] = [],
    loc: number[] = [],
    tag: number[] = [];
  const misses: ScoreEvalReport["misses"] = [];
  for (const [id, c] of cases) {
    const m = records.get(id);
    const ok = m?.get(labelKey(c.correct))?.detectionAuroc ?? null;
    const bad = m?.get(labelKey(c.drawn))?.detectionAuroc ?? null;
    for (const layer of [c.layer, "*"]) {
      const t = byLayer.get(layer) ?? { mono: 0, right: 0, share: 0, shareN: 0 };
      t.mono++;
      if (ok !== null && bad !== null && ok > bad) t.right++;
      const wr = c.wrong.map((w) => m?.get(labelKey(w))?.detectionAuroc ?? null).filter((x): x is number => x !== null);
      if (ok !== null && wr.length) {
        t.share += wr.filter((w) => ok > w).length / wr.length;
        t.shareN++;
      }
      byLayer.set(layer, t);
    }
    if (!(ok !== null && bad !== null && ok > bad))
      misses.push({ layer: c.layer, correct: c.correct, wrong: c.drawn, correctAuroc: ok, wrongAuroc: bad });
    if (ok !== null) correctAuroc.push(ok);
    if (bad !== null) wrongAuroc.push(bad);
    const r = m?.get(labelKey(c.correct));
    if (r?.localization != null) loc.push(r.localization);
    if (r?.tagAuroc != null) tag.push(r.tagAuroc);
  }
  const rows = [...byLayer.entries()]
    .sort(([a], [b]) => (a === "*" ? 1 : b === "*" ? -1 : a < b ? -1 : 1))
    .map(([layer, t]) => ({
      layer,
      monosemantic: t.mono,
      correctAboveWrong: t.right,
      rate: t.mono ? t.right / t.mono : null,
      meanShareBeaten: t.shareN ? t.share / t.shareN : null,
    }));
  return {
    units: units.length,
    monosemantic: cases.size,
    rows,
    correctAuroc: quartiles(correctAuroc),
    wrongAuroc: quartiles(wrongAuroc),
    correctLocalization: quartiles(loc),
    correctTagAuroc: quartiles(tag),
    misses,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

export function formatScoreEvalTable(r: ScoreEvalReport): string {
  const w = Math.max(10, ...r.rows.map((x) => x.layer.length));
  const pct = (x: number | null) => (x === null ? "-" : `${(x * 100).toFixed(1)}%`);
  return [
    `${"layer".padEnd(w)} ${"mono".padStart(5)} ${"right".padStart(5)} ${"rate".padStart(7)} ${"beats".padStart(7)}`,
    ...r.rows.map(
      (x) =>
        `${x.layer.padEnd(w)} ${String(x.monosemantic).padStart(5)} ${String(x.correctAboveWrong).padStart(5)} ${pct(x.rate).padStart(7)} ${pct(x.meanShareBeaten).padStart(7)}`,
    ),
    "",
    `detection AUROC [min q1 median q3 max]: correct ${r.correctAuroc.join(" ")}; wrong ${r.wrongAuroc.join(" ")}`,
    `localization ρ of correct labels: ${r.correctLocalization.join(" ")}; tag AUROC of correct labels: ${r.correctTagAuroc.join(" ")}`,
  ].join("\n");
}
