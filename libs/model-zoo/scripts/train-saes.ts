// Trains the built-in model's SAEs (ReLU + TopK on vision.blocks.0/1 and text.blocks.1 resid_post), saves them in
// SAELens format under assets/clip-shapes/saes/<name>/, and records them in model.json and report.json.
// usage: npm run train:saes -- [--steps 1500] [--d-sae 256] [--k 8] [--l1 1] [--dir <asset folder>]
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { useWasmBackend } from "../src/model/backend";
import { CLIP_SHAPES_CONFIG } from "../src/model/config";
import { ClipShapesTf } from "../src/model/embed";
import { loadWeights } from "../src/model/weights-file";
import { MODEL_NAME, type SaeEntry } from "../src/export/manifest";
import { textActivations, visionActivations, type ActivationRows } from "../src/sae/activations";
import { writeSaeFolder } from "../src/sae/saelens-format";
import { measureSae, trainSae } from "../src/sae/train-sae";
import type { SaeArchitecture } from "../src/sae/types";

const o = new Command()
  .option("--steps <n>", "training steps per SAE", "1500")
  .option("--batch <n>", "rows per step", "512")
  .option("--d-sae <n>", "latents per SAE", "256")
  .option("--k <n>", "active latents of TopK SAEs", "8")
  .option("--l1 <x>", "L1 coefficient of ReLU SAEs", "1")
  .option("--seed <n>", "seed", "7")
  .option("--dir <dir>", "asset folder", resolve(__dirname, "../assets/clip-shapes"))
  .parse()
  .opts();

const HOOKS = ["vision.blocks.0.hook_resid_post", "vision.blocks.1.hook_resid_post", "text.blocks.1.hook_resid_post"];
const ARCHS: { arch: SaeArchitecture; suffix: string }[] = [
  { arch: "standard", suffix: "relu" },
  { arch: "topk", suffix: "topk" },
];

async function main() {
  await useWasmBackend(1);
  const dir = resolve(o.dir),
    c = CLIP_SHAPES_CONFIG,
    seed = +o.seed;
  const model = new ClipShapesTf(c, loadWeights(join(dir, "weights.safetensors"), c));
  const entries: SaeEntry[] = [];
  const metrics: Record<string, unknown> = {};
  const t0 = Date.now();
  for (const hook of HOOKS) {
    const vision = hook.startsWith("vision.");
    const collect = (s: number, n: number): ActivationRows =>
      vision ? visionActivations(model, hook, s, n) : textActivations(model, hook, s, n);
    const train = vision ? collect(seed * 100 + 1, 1500) : collect(seed * 100 + 1, 3000);
    const evalSet = vision ? collect(seed * 100 + 2, 300) : collect(seed * 100 + 2, 600);
    for (const { arch, suffix } of ARCHS) {
      const name = `${hook}.${suffix}`;
      const t1 = Date.now();
      const sae = trainSae(train.data, train.dIn, {
        architecture: arch,
        dSae: +o.dSae,
        k: arch === "topk" ? +o.k : undefined,
        l1Coefficient: +o.l1,
        steps: +o.steps,
        batch: +o.batch,
        lr: 2e-3,
        seed,
      });
      const m = measureSae(sae, evalSet.data);
      const seconds = (Date.now() - t1) / 1000;
      console.log(
        `${name}: L0 ${m.l0.toFixed(2)} EV ${m.explainedVariance.toFixed(4)} dead ${(100 * m.deadFraction).toFixed(1)}% (${seconds.toFixed(0)} s, ${train.rows} rows)`,
      );
      writeSaeFolder(join(dir, "saes", name), sae, {
        modelName: MODEL_NAME,
        hookName: hook,
        contextSize: vision ? c.gridSize * c.gridSize + 1 : c.textSeqLen,
        datasetPath: vision ? "mmatlas/shapes-world/images" : "mmatlas/shapes-world/captions",
        extra: { l1_coefficient: arch === "standard" ? +o.l1 : undefined, training_steps: +o.steps, seed },
      });
      entries.push({
        name,
        path: `saes/${name}`,
        hookPoint: hook,
        architecture: arch,
        d_sae: +o.dSae,
        ...(arch === "topk" ? { k: +o.k } : {}),
        l0: m.l0,
        explainedVariance: m.explainedVariance,
        deadFraction: m.deadFraction,
      });
      metrics[name] = {
        hookPoint: hook,
        architecture: arch,
        dSae: +o.dSae,
        k: arch === "topk" ? +o.k : undefined,
        trainRows: train.rows,
        ...m,
        seconds: Math.round(seconds),
      };
    }
  }
  model.dispose();
  const manifestPath = join(dir, "model.json");
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    manifest.saes = entries;
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
  } else console.warn(`no ${manifestPath} yet: run the model export first, SAEs are not listed in a manifest`);
  const reportPath = join(dir, "report.json");
  const report = existsSync(reportPath) ? JSON.parse(readFileSync(reportPath, "utf8")) : {};
  report.saes = metrics;
  report.saeTrainingSeconds = Math.round((Date.now() - t0) / 1000);
  writeFileSync(reportPath, JSON.stringify(report, null, 2) + "\n");
  console.log(`SAEs written to ${join(dir, "saes")} in ${report.saeTrainingSeconds} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
