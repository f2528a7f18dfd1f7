// After training: evaluates the model, writes image.onnx / text.onnx, verifies them against tfjs,
// and writes model.json + report.json in the asset folder (SAE entries already there are kept).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { useWasmBackend } from "../model/backend";
import { CLIP_SHAPES_CONFIG } from "../model/config";
import { ClipShapesTf } from "../model/embed";
import { evaluateClip } from "../model/evaluate";
import { loadWeights } from "../model/weights-file";
import { generateShapesWorld } from "../shapes/generate";
import { buildImageOnnx, buildTextOnnx } from "./clip-onnx";
import { buildManifest, type SaeEntry } from "./manifest";
import { compareOnnxWithTf } from "./verify-onnx";

const readJson = (path: string) => (existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {});

export async function buildModelAssets(dir: string, log: (s: string) => void = console.log): Promise<void> {
  await useWasmBackend(1);
  const c = CLIP_SHAPES_CONFIG;
  const weights = loadWeights(join(dir, "weights.safetensors"), c);
  const model = new ClipShapesTf(c, weights);
  const t0 = Date.now();
  const evaluation = evaluateClip(model);
  log(`evaluation (${Date.now() - t0} ms): ${JSON.stringify(evaluation)}`);

  writeFileSync(join(dir, "image.onnx"), buildImageOnnx(c, weights));
  writeFileSync(join(dir, "text.onnx"), buildTextOnnx(c, weights));
  const probe = generateShapesWorld({ seed: 9001, count: 8 });
  const check = await compareOnnxWithTf(
    dir,
    c,
    model,
    probe.map((e) => e.pixels),
    probe.map((e) => e.caption),
  );
  log(`ONNX vs tfjs max abs diff ${check.maxAbsDiff.toExponential(2)}`);
  if (!(check.maxAbsDiff < 1e-4))
    throw new Error(`ONNX export does not match tfjs: ${JSON.stringify(check.perTensor)}`);

  const logitScale = Math.exp(Math.min(weights["logit_scale"].data[0], Math.log(100)));
  const old = readJson(join(dir, "model.json"));
  const saes: SaeEntry[] = Array.isArray(old.saes) ? old.saes : [];
  writeFileSync(join(dir, "model.json"), JSON.stringify(buildManifest(c, logitScale, saes), null, 2) + "\n");
  const report = readJson(join(dir, "report.json"));
  report.model = {
    ...evaluation,
    logitScale,
    training: readJson(join(dir, "training.json")),
    onnx: { opset: 17, maxAbsDiff: check.maxAbsDiff, probeExamples: probe.length },
  };
  writeFileSync(join(dir, "report.json"), JSON.stringify(report, null, 2) + "\n");
  model.dispose();
}
