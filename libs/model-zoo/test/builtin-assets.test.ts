// The committed built-in model: ONNX towers match the tfjs forward pass (embeddings + every hook), the
// manifest's hook tensors exist in the graphs (and are not outputs), and the SAE folders are well-formed SAELens.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { onnx } from "onnx-proto";
import { builtinManifestPath, builtinModelDir, generateShapesWorld } from "../src";
import { CLIP_SHAPES_CONFIG } from "../src/model/config";
import { readSaeFolder } from "../src/sae/saelens-format";
import { useWasmBackend } from "../src/model/backend";
import { ClipShapesTf } from "../src/model/embed";
import { loadWeights } from "../src/model/weights-file";
import { compareOnnxWithTf } from "../src/export/verify-onnx";

const dir = builtinModelDir();
const manifest = JSON.parse(readFileSync(builtinManifestPath(), "utf8"));

describe("built-in CLIP-shapes assets", () => {
  it("ONNX output and hook tensors equal the tfjs forward pass (max abs diff < 1e-4)", async () => {
    await useWasmBackend(1);
    const model = new ClipShapesTf(
      CLIP_SHAPES_CONFIG,
      loadWeights(join(dir, "weights.safetensors"), CLIP_SHAPES_CONFIG),
    );
    const ex = generateShapesWorld({ seed: 31337, count: 6 });
    const check = await compareOnnxWithTf(
      dir,
      CLIP_SHAPES_CONFIG,
      model,
      ex.map((e) => e.pixels),
      [...ex.map((e) => e.caption), "the word red"],
    );
    model.dispose();
    expect(Object.keys(check.perTensor)).toHaveLength(2 + manifest.hookPoints.length);
    expect(check.maxAbsDiff).toBeLessThan(1e-4);
  }, 30000);

  it("names every manifest hook point as an intermediate tensor, not a graph output", () => {
    for (const [tower, spec] of [
      ["VISION", manifest.image],
      ["TEXT", manifest.text],
    ] as const) {
      const g = onnx.ModelProto.decode(readFileSync(join(dir, spec.onnx))).graph!;
      const produced = new Set(g.node!.flatMap((n) => n.output ?? []));
      expect(g.input!.map((i) => i.name)).toEqual([spec.input]);
      expect(g.output!.map((o) => o.name)).toEqual([spec.output]);
      const hooks = manifest.hookPoints.filter((h: { tower: string }) => h.tower === tower);
      expect(hooks).toHaveLength(6);
      for (const h of hooks) expect(produced.has(h.tensor)).toBe(true);
    }
  });

  it("lists well-formed SAELens SAEs (cfg v6 keys, weight shapes match d_in/d_sae)", () => {
    expect(manifest.saes.length).toBeGreaterThanOrEqual(6);
    const hookNames = new Set(manifest.hookPoints.map((h: { name: string }) => h.name));
    const archs = new Set<string>();
    for (const entry of manifest.saes) {
      const folder = join(dir, entry.path);
      expect(existsSync(join(folder, "cfg.json"))).toBe(true);
      const { cfg, sae } = readSaeFolder(folder);
      for (const key of [
        "d_in",
        "d_sae",
        "architecture",
        "apply_b_dec_to_input",
        "normalize_activations",
        "dtype",
        "device",
        "metadata",
      ])
        expect(cfg).toHaveProperty(key);
      const meta = cfg.metadata as Record<string, unknown>;
      expect(hookNames.has(meta.hook_name)).toBe(true);
      expect(meta.model_name).toBe(manifest.name);
      expect(sae.W_enc.length).toBe(sae.dIn * sae.dSae);
      expect(sae.W_dec.length).toBe(sae.dSae * sae.dIn);
      expect(sae.b_enc.length).toBe(sae.dSae);
      expect(sae.b_dec.length).toBe(sae.dIn);
      expect(sae.dIn).toBe(CLIP_SHAPES_CONFIG.width);
      if (cfg.architecture === "topk") expect(Number.isInteger(cfg.k)).toBe(true);
      archs.add(String(cfg.architecture));
    }
    expect([...archs].sort()).toEqual(["standard", "topk"]);
  });
});
