// Trains the built-in CLIP-shapes model from a seed, then evaluates it and exports the ONNX towers + manifest.
// usage: npm run train:model -- [--steps 3000] [--batch 128] [--seed 1] [--out libs/model-zoo/assets/clip-shapes]
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { useWasmBackend } from "../src/model/backend";
import { CLIP_SHAPES_CONFIG } from "../src/model/config";
import { trainClip } from "../src/model/train";
import { saveWeights } from "../src/model/weights-file";

const cli = new Command()
  .option("--steps <n>", "training steps", "3000")
  .option("--batch <n>", "batch size", "128")
  .option("--seed <n>", "initialization seed", "1")
  .option("--data-seed <n>", "training data stream seed", "1001")
  .option("--lr <x>", "peak learning rate", "0.002")
  .option("--warmup <n>", "warm-up steps", "100")
  .option("--out <dir>", "asset folder", resolve(__dirname, "../assets/clip-shapes"))
  .option("--no-export", "skip evaluation and ONNX export after training")
  .parse();

async function main() {
  const o = cli.opts();
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });
  await useWasmBackend(1);
  const c = CLIP_SHAPES_CONFIG;
  const opts = { seed: +o.seed, dataSeed: +o.dataSeed, steps: +o.steps, batch: +o.batch, lr: +o.lr, warmup: +o.warmup };
  console.log(`training CLIP-shapes ${JSON.stringify(opts)} → ${out}`);
  const result = trainClip(c, {
    ...opts,
    logEvery: 50,
    checkpointEvery: 500,
    onLog: (line) => console.log(line),
    onCheckpoint: (w, step) =>
      saveWeights(join(out, "weights.safetensors"), c, w, { step: String(step), seed: o.seed }),
  });
  const training = {
    ...opts,
    seconds: Math.round(result.seconds),
    msPerStep: Math.round(result.msPerStep),
    finalLoss: result.losses.slice(-50).reduce((s, v) => s + v, 0) / Math.min(50, result.losses.length),
  };
  writeFileSync(join(out, "training.json"), JSON.stringify(training, null, 2) + "\n");
  console.log(
    `trained in ${training.seconds} s (${training.msPerStep} ms/step), final loss ${training.finalLoss.toFixed(4)}`,
  );
  if (o.export) {
    // loaded at the end so a long run picks up the current export code
    const { buildModelAssets } = await import("../src/export/build-assets");
    await buildModelAssets(out);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
