// `npm run eval:methods`: mmatlas's multimodal interpretability benchmark on the built-in model (CLIP-shapes).
// Uses the local database (DATABASE_URL, else PGlite), building (and scoring) the default atlas first when it has
// none; `--memory` works in a fresh in-memory database. Everything is judged on a shapes world drawn with a seed
// that produced neither the labels (DEFAULT_SHAPES_DATASET.seed) nor the label scores (SCORING_SEED):
// `--eval-seed N` (or eval:labels' `--held-out-seed N`; default 7), 2048 images + 1024 captions.
//
// 1. Labelling methods, one table (libs/builder/src/evaluation/method-table.ts), rows = method × layer and
//    "all layers": the stored auto-labels (concept-share, clip-dissect, text-alignment, network-dissection) and
//    the trusted-labels additions (scored-label-methods.ts): best-score (the label the explanation scorer ranks
//    first) and trusted (the trusted-label rule; none where nothing is trusted). Ground truth per unit: the tags of
//    its top-20 examples on the evaluation seed (held-out-tops.ts); monosemantic for c = ≥ 80 % of them carry c.
//      precision  correct / labeled among monosemantic units
//      coverage   labeled / monosemantic units
//      recall     share of the layer's ground-truth concepts (those ≥ 1 unit of the layer is monosemantic for)
//                 that the method names correctly for at least one such unit (@mmatlas/atlas conceptRecall)
// 2. Probing: held-out accuracy of a linear probe per hook point (and the atlas's SAEs) × concept family of the
//    evaluation seed's tags, with the chance rate (probeModelOnExamples, split seed `--probe-seed`, default 0,
//    25 % of each family's labelled examples held out); `--no-probe` skips it.
// Prints both tables and writes artifacts/eval/methods.json (seeds, sample sizes, command, rows, cells, timings).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "@mmatlas/db";
import { DEFAULT_SHAPES_DATASET } from "../src/dataset/ingest-shapes";
import { SCORING_SEED } from "../src/default-atlas";
import { heldOutTopTags } from "../src/evaluation/held-out-tops";
import { conceptsOfShapesTag, loadLabelEvalUnits } from "../src/evaluation/label-eval";
import { commonLabelErrors, formatMethodTable, methodTable } from "../src/evaluation/method-table";
import { SCORED_LABEL_METHODS, scoredLabelMethods } from "../src/evaluation/scored-label-methods";
import { LABEL_METHODS } from "../src/finalize/labels";
import { shapesConceptVocabulary } from "../src/finalize/concepts";
import { readExamples } from "../src/pass/examples";
import { probeModelOnExamples, type ProbeCell } from "../src/probing/probe-model";
import { openModelRunner } from "../src/run/atlas-build";
import { ensureDefaultAtlas, openEvalDatabase } from "./eval-atlas";

const TOP_K = 20;
const THRESHOLD = 0.8;
const METHOD_ORDER = [
  LABEL_METHODS.conceptShare,
  LABEL_METHODS.clipDissect,
  LABEL_METHODS.textAlignment,
  LABEL_METHODS.networkDissection,
  SCORED_LABEL_METHODS.bestScore,
  SCORED_LABEL_METHODS.trusted,
];

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const seconds = (t: number) => Math.round((Date.now() - t) / 100) / 10;

function formatProbeGrid(cells: readonly ProbeCell[]): string {
  const families = [...new Set(cells.map((c) => c.family))];
  const saeName = (c: ProbeCell) =>
    c.dictionary!.startsWith(`${c.hookName}.`) ? c.dictionary!.slice(c.hookName.length + 1) : c.dictionary!;
  const layerOf = (c: ProbeCell) => `${c.hookName}${c.dictionary ? ` (SAE ${saeName(c)})` : ""}`;
  const out: string[] = [];
  for (const tower of ["VISION", "TEXT"] as const) {
    const mine = cells.filter((c) => c.tower === tower);
    if (mine.length === 0) continue;
    const fams = families.filter((f) => mine.some((c) => c.family === f));
    const layers = [...new Set(mine.map(layerOf))];
    const w = Math.max(12, ...layers.map((l) => l.length));
    const chance = fams.map((f) => mine.find((c) => c.family === f)!);
    out.push(`${tower.toLowerCase()} tower`);
    out.push(`${"layer".padEnd(w)} ${fams.map((f) => f.padStart(8)).join(" ")}`);
    out.push(`${"(chance)".padEnd(w)} ${chance.map((c) => `${(c.chance * 100).toFixed(1)}%`.padStart(8)).join(" ")}`);
    for (const l of layers)
      out.push(
        `${l.padEnd(w)} ${fams
          .map((f) => {
            const c = mine.find((x) => layerOf(x) === l && x.family === f);
            return (c ? `${(c.accuracy * 100).toFixed(1)}%` : "-").padStart(8);
          })
          .join(" ")}`,
      );
    out.push("");
  }
  return out.join("\n");
}

async function main() {
  const started = Date.now();
  const memory = process.argv.includes("--memory");
  const seedArg = arg("--eval-seed") ?? arg("--held-out-seed"); // eval:labels' name for the same seed
  const evalSeed = seedArg !== undefined ? Number(seedArg) : 7;
  const probeSeed = arg("--probe-seed") !== undefined ? Number(arg("--probe-seed")) : 0;
  const skipProbe = process.argv.includes("--no-probe");
  if (!Number.isInteger(evalSeed) || evalSeed === DEFAULT_SHAPES_DATASET.seed || evalSeed === SCORING_SEED)
    throw new Error(
      `--eval-seed must be an integer other than the labelling seed ${DEFAULT_SHAPES_DATASET.seed} and the scoring seed ${SCORING_SEED}`,
    );
  if (!Number.isInteger(probeSeed)) throw new Error("--probe-seed must be an integer");
  const db = await openEvalDatabase(memory);
  try {
    const built = await ensureDefaultAtlas(db);
    const { prisma } = db;
    const model = await prisma.model.findUniqueOrThrow({ where: { id: built.modelId } });
    const { images, texts } = DEFAULT_SHAPES_DATASET;
    const evalDataset = { name: `shapes-world-held-out-${evalSeed}`, seed: evalSeed, images, texts };

    // 1. labelling methods
    let t = Date.now();
    const tops = await heldOutTopTags(prisma, built.modelId, evalDataset, TOP_K);
    const topsSeconds = seconds(t);
    t = Date.now();
    const units = await loadLabelEvalUnits(prisma, built.modelId, tops);
    const scored = await scoredLabelMethods(
      prisma,
      built.modelId,
      units.map((u) => u.id),
    );
    const vocabulary = new Set(shapesConceptVocabulary().labels);
    const judged = units.map((u) => ({ ...u, labels: { ...u.labels, ...scored.labels.get(u.id) } }));
    const judge = { threshold: THRESHOLD, conceptOfTag: (tag: string) => conceptsOfShapesTag(tag, vocabulary) };
    const rows = methodTable(judged, { ...judge, order: METHOD_ORDER });
    const errors = commonLabelErrors(judged, judge, 3);
    const labelSeconds = seconds(t);
    console.log(
      `mmatlas multimodal interpretability benchmark — ${model.name}, ${units.length} units; labels from seed ${DEFAULT_SHAPES_DATASET.seed}, scores from seed ${SCORING_SEED}, judged on seed ${evalSeed} (${images} images + ${texts} captions, top-${TOP_K}, monosemantic = ≥ ${THRESHOLD * 100}% share a concept)`,
    );
    console.log(
      `best-score: ${scored.scored} units with a scored label; trusted sources: ${JSON.stringify(scored.trustedSources)}; annotators' α ${scored.alpha ?? "undefined"}\n`,
    );
    console.log(formatMethodTable(rows));
    console.log("\nmost frequent wrong labels (top ground-truth concept → label, units):");
    for (const m of METHOD_ORDER)
      if (errors[m]) console.log(`  ${m}: ${errors[m].map((e) => `${e.truth} → ${e.label} (${e.units})`).join(", ")}`);

    // 2. probing
    let probe: Awaited<ReturnType<typeof probeModelOnExamples>> | null = null;
    if (!skipProbe) {
      const dataset = await prisma.dataset.findUniqueOrThrow({ where: { name: evalDataset.name } });
      const examples = [
        ...(await readExamples(prisma, dataset.id, "VISION", -1, images)),
        ...(await readExamples(prisma, dataset.id, "TEXT", -1, texts)),
      ];
      const saes = (
        await prisma.dictionary.findMany({
          where: { modelId: built.modelId, units: { some: { topActivations: { some: {} } } } },
          select: { name: true },
        })
      )
        .map((d) => d.name)
        .sort();
      const runner = await openModelRunner(prisma, model);
      try {
        probe = await probeModelOnExamples(runner, examples, { seed: probeSeed, saes });
      } finally {
        await runner.close();
      }
      console.log(
        `\nprobing accuracy on seed ${evalSeed} (${probe.examples.VISION} images, ${probe.examples.TEXT} captions; split seed ${probeSeed}, 25% held out per family; ${probe.seconds}s)\n`,
      );
      console.log(formatProbeGrid(probe.cells));
      for (const s of probe.skipped) console.log(`not probed: ${JSON.stringify(s)}`);
    }

    const command = `npm run eval:methods --${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(" ")}` : ""}`;
    const wall = seconds(started);
    console.log(
      `\nwall ${wall}s (held-out top-${TOP_K} ${topsSeconds}s, label methods ${labelSeconds}s${probe ? `, probing ${probe.seconds}s` : ""})`,
    );
    const out = path.join(repoRoot(), "artifacts", "eval", "methods.json");
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          command,
          model: model.name,
          seeds: {
            labels: DEFAULT_SHAPES_DATASET.seed,
            scores: SCORING_SEED,
            evaluation: evalSeed,
            probeSplit: probeSeed,
          },
          samples: { images, texts, topK: TOP_K, threshold: THRESHOLD, units: units.length },
          bestScore: { scored: scored.scored },
          trustedSources: scored.trustedSources,
          alpha: scored.alpha,
          methods: rows,
          commonErrors: errors,
          probing: probe && {
            examples: probe.examples,
            cells: probe.cells,
            skipped: probe.skipped,
            seconds: probe.seconds,
          },
          seconds: { wall, heldOutTops: topsSeconds, labelMethods: labelSeconds, probing: probe?.seconds ?? null },
          createdAt: new Date().toISOString(),
        },
        null,
        2,
      )}\n`,
    );
    console.log(`wrote ${path.relative(repoRoot(), out)}`);
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
