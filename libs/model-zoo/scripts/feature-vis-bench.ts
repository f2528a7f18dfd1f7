// Feature-visualization throughput and quality on the default atlas's image units (vision MLP neurons and TopK-SAE
// latents of both layers): optimises the first `--per-set` units of each set with the default options and prints,
// per set, units/s and how many optimised images beat the unit's max over `--images` shapes-world images (the
// default atlas dataset's seed).
// usage: npm run bench:feature-vis -- [--per-set 64] [--images 512]; writes artifacts/bench/feature-vis.json (with the
// machine's load, which is shared).
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { builtinModelDir } from "../src/paths";
import { CLIP_SHAPES_CONFIG } from "../src/model/config";
import { ClipShapesTf } from "../src/model/embed";
import { loadWeights } from "../src/model/weights-file";
import { generateShapesWorld } from "../src/shapes/generate";
import { FeatureVisualizer } from "../src/feature-vis/visualizer";
import type { VisTarget } from "../src/feature-vis/unit-objective";
import type { SaeWeights } from "../src/sae/types";

const o = new Command()
  .option("--per-set <n>", "units per set", "64")
  .option("--images <n>", "shapes-world images for the dataset max", "512")
  .option("--seed <n>", "shapes-world seed (default atlas dataset)", "20261122")
  .parse()
  .opts();

/** max over examples and tokens of each SAE latent (TopK: the k largest pre-activations of a row, then ReLU) */
function saeMax(x: Float32Array, sae: SaeWeights): Float32Array {
  const rows = x.length / sae.dIn,
    out = new Float32Array(sae.dSae),
    pre = new Float32Array(sae.dSae);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < sae.dSae; j++) {
      let s = sae.b_enc[j];
      for (let i = 0; i < sae.dIn; i++) s += (x[r * sae.dIn + i] - sae.b_dec[i]) * sae.W_enc[i * sae.dSae + j];
      pre[j] = s;
    }
    const kth = sae.architecture === "topk" ? [...pre].sort((a, b) => b - a)[sae.k! - 1] : -Infinity;
    for (let j = 0; j < sae.dSae; j++) if (pre[j] >= kth && pre[j] > out[j]) out[j] = pre[j];
  }
  return out;
}

async function main() {
  const perSet = Number(o.perSet);
  const vis = await FeatureVisualizer.open(builtinModelDir());
  const c = CLIP_SHAPES_CONFIG;
  const tfModel = new ClipShapesTf(c, loadWeights(`${builtinModelDir()}/weights.safetensors`, c));
  const images = generateShapesWorld({ seed: Number(o.seed), count: Number(o.images) }).map((e) => e.pixels);
  const sets: { name: string; targets: VisTarget[]; max: Float32Array }[] = [];
  for (const l of [0, 1]) {
    const mlp = `vision.blocks.${l}.mlp.hook_post`,
      resid = `vision.blocks.${l}.hook_resid_post`;
    const h = tfModel.embedImages(images, [mlp, resid]).hooks;
    const W = c.mlpWidth,
      nMax = new Float32Array(W).fill(-Infinity);
    h[mlp].data.forEach((v, i) => (nMax[i % W] = Math.max(nMax[i % W], v)));
    sets.push({
      name: mlp,
      targets: Array.from({ length: perSet }, (_, i) => ({ kind: "neuron" as const, hook: mlp, index: i })),
      max: nMax,
    });
    const sae = vis.sae(`saes/${resid}.topk`);
    sets.push({
      name: `${resid}.topk`,
      targets: Array.from({ length: perSet }, (_, i) => ({
        kind: "sae" as const,
        hook: resid,
        index: i,
        saeKey: resid,
        sae,
      })),
      max: saeMax(h[resid].data, sae),
    });
  }
  let allUnits = 0,
    allSeconds = 0;
  const rows: Record<string, unknown>[] = [];
  for (const s of sets) {
    const t0 = Date.now();
    const r = await vis.visualize(s.targets);
    const sec = (Date.now() - t0) / 1000;
    allUnits += r.length;
    allSeconds += sec;
    const live = r.filter((x, i) => s.max[s.targets[i].index] > 0);
    const above = live.filter((x) => x.activation > s.max[x.target.index]).length;
    const beatStart = r.filter((x) => x.activation > x.startActivation).length;
    const ratios = live.map((x) => x.activation / s.max[x.target.index]).sort((a, b) => a - b);
    rows.push({
      set: s.name,
      units: r.length,
      seconds: sec,
      unitsPerSecond: r.length / sec,
      aboveDatasetMax: above,
      liveUnits: live.length,
      medianRatioToDatasetMax: ratios[Math.floor(ratios.length / 2)] ?? null,
      aboveStartImage: beatStart,
    });
    console.log(
      `${s.name}: ${r.length} units in ${sec.toFixed(1)} s = ${(r.length / sec).toFixed(2)} units/s; ` +
        `above dataset max ${above}/${live.length} (median ratio ${ratios[Math.floor(ratios.length / 2)]?.toFixed(2)}); ` +
        `above start image ${beatStart}/${r.length}`,
    );
  }
  console.log(`all: ${allUnits} units in ${allSeconds.toFixed(1)} s = ${(allUnits / allSeconds).toFixed(2)} units/s`);
  const load = os.loadavg().map((l) => Number(l.toFixed(2)));
  console.log(`load (1/5/15 min): ${load.join(" / ")}`);
  const out = path.resolve(__dirname, "..", "..", "..", "artifacts", "bench", "feature-vis.json");
  mkdirSync(path.dirname(out), { recursive: true });
  const summary = { units: allUnits, seconds: allSeconds, unitsPerSecond: allUnits / allSeconds };
  const run = { perSet, images: Number(o.images), seed: Number(o.seed) };
  writeFileSync(
    out,
    `${JSON.stringify({ bench: "feature-vis", date: new Date().toISOString(), load, run, rows, summary }, null, 2)}\n`,
  );
  tfModel.dispose();
  vis.dispose();
}
void main();
