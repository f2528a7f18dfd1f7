// SAE encode/decode vs hand-computed examples (ReLU, TopK, JumpReLU, apply_b_dec_to_input, normalization modes),
// loading SAELens folders (incl. F16 weights, legacy cfg keys) and refusing bad SAEs.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InferenceError, loadSae, parseSaeConfig, Sae, writeSafetensors, type SaeWeights } from "../src";
import { topKPerRow } from "../src/sae";

// d_in = 2, d_sae = 3
const W_enc = Float32Array.from([1, 0.5, -1, 1, 1, 2]); // rows: input dims
const b_enc = Float32Array.from([0, 0.25, -0.25]);
const W_dec = Float32Array.from([1, 0, 0, 1, 1, 1]);
const b_dec = Float32Array.from([1, -1]);
const threshold = Float32Array.from([2.5, 1, 0.5]);

function make(cfg: Record<string, unknown>): Sae {
  const c = parseSaeConfig({ d_in: 2, d_sae: 3, apply_b_dec_to_input: false, ...cfg });
  const w: SaeWeights = {
    W_enc: W_enc.slice(),
    b_enc: b_enc.slice(),
    W_dec: W_dec.slice(),
    b_dec: b_dec.slice(),
    threshold: threshold.slice(),
  };
  return new Sae("t", c, w);
}
const arr = (a: Float32Array) => Array.from(a, (v) => +v.toFixed(5));

describe("Sae.encode (hand-computed)", () => {
  // x = [1, 1] → pre = [1+1, .5+1+.25, -1+2-.25] = [2, 1.75, 0.75]; x = [-1, 0] → pre = [-1, -0.25, 0.75]
  const x = Float32Array.from([1, 1, -1, 0]);
  it("ReLU (standard)", () => {
    expect(arr(make({ architecture: "standard" }).encode(x))).toEqual([2, 1.75, 0.75, 0, 0, 0.75]);
  });
  it("TopK (k=2) keeps the 2 largest pre-activations, then ReLU", () => {
    expect(arr(make({ architecture: "topk", k: 2 }).encode(x))).toEqual([2, 1.75, 0, 0, 0, 0.75]);
  });
  it("JumpReLU keeps values above the per-feature threshold", () => {
    expect(arr(make({ architecture: "jumprelu" }).encode(x))).toEqual([0, 1.75, 0.75, 0, 0, 0.75]);
  });
  it("gated: the magnitude path (W_enc·exp(r_mag) + b_mag) where the gate (W_enc + b_gate) is open", () => {
    const c = parseSaeConfig({ d_in: 2, d_sae: 3, apply_b_dec_to_input: false, architecture: "gated" });
    const b_gate = Float32Array.from([0, -2, 0]),
      r_mag = Float32Array.from([0, Math.log(2), 0]),
      b_mag = Float32Array.from([0.5, 0, -1]);
    const sae = new Sae("g", c, {
      W_enc: W_enc.slice(),
      b_enc: new Float32Array(3),
      W_dec: W_dec.slice(),
      b_dec: b_dec.slice(),
      b_gate,
      r_mag,
      b_mag,
    });
    // x = [1, 1]: x·W_enc = [2, 1.5, 1]; gate = [2, -0.5, 1] → open, shut, open; magnitude = [2+.5, 2·1.5, 1-1] = [2.5, 3, 0]
    // x = [-1, 0]: x·W_enc = [-1, -0.5, 1]; gate = [-1, -2.5, 1] → only feature 2, magnitude 1-1 = 0
    expect(arr(sae.encode(x))).toEqual([2.5, 0, 0, 0, 0, 0]);
    const y = Float32Array.from([0, 2]); // x·W_enc = [2, 2, 4]; gate [2, 0, 4] → 0 is shut (not > 0); magnitude [2.5, 4, 3]
    expect(arr(sae.encode(y))).toEqual([2.5, 0, 3]);
  });
  it("apply_b_dec_to_input subtracts b_dec first", () => {
    // [2, 0] - b_dec = [1, 1] → same as x = [1, 1] above
    expect(
      arr(make({ architecture: "standard", apply_b_dec_to_input: true }).encode(Float32Array.from([2, 0]))),
    ).toEqual([2, 1.75, 0.75]);
  });
  it("constant_norm_rescale scales rows to norm sqrt(d_in) and undoes it on reconstruct", () => {
    const sae = make({ architecture: "standard", normalize_activations: "constant_norm_rescale" });
    // x = [3, 4] → ×(√2/5) → pre = [7√2/5, 5.5√2/5 + .25, √2 - .25]
    const f = sae.encode(Float32Array.from([3, 4]));
    expect(f[0]).toBeCloseTo((7 * Math.SQRT2) / 5, 5);
    expect(f[1]).toBeCloseTo((5.5 * Math.SQRT2) / 5 + 0.25, 5);
    expect(f[2]).toBeCloseTo(Math.SQRT2 - 0.25, 5);
    const rec = sae.reconstruct(Float32Array.from([3, 4]));
    // (f @ W_dec + b_dec) × 5/√2
    expect(rec[0]).toBeCloseTo((f[0] + f[2] + 1) * (5 / Math.SQRT2), 4);
    expect(rec[1]).toBeCloseTo((f[1] + f[2] - 1) * (5 / Math.SQRT2), 4);
  });
  it("layer_norm standardizes rows (unbiased std, like torch)", () => {
    // x = [1, 3] → mean 2, std √2 → [-1/√2, 1/√2] → pre = [0, 0.25 + 0.5/√2, -0.25 + 3/√2]
    const f = make({ architecture: "standard", normalize_activations: "layer_norm" }).encode(Float32Array.from([1, 3]));
    expect(f[0]).toBeCloseTo(0, 4);
    expect(f[1]).toBeCloseTo(0.25 + 0.5 / Math.SQRT2, 4);
    expect(f[2]).toBeCloseTo(-0.25 + 3 / Math.SQRT2, 4);
  });
  it("decode and decoderDirection", () => {
    const sae = make({ architecture: "standard" });
    expect(arr(sae.decode(Float32Array.from([1, 2, 3])))).toEqual([1 + 3 + 1, 2 + 3 - 1]);
    expect(arr(sae.decoderDirection(2))).toEqual([1, 1]);
    expect(() => sae.decoderDirection(3)).toThrow(InferenceError);
  });
  it("encodeSparse returns the top features per row, descending", () => {
    const s = make({ architecture: "standard" }).encodeSparse(x, 2);
    expect(Array.from(s.indices)).toEqual([0, 1, 2, 0]); // row 1: 0.75 then a 0 (ties → lower index)
    expect(arr(s.values)).toEqual([2, 1.75, 0.75, 0]);
    expect(Array.from(topKPerRow(Float32Array.from([1, 5, 3, 5]), 1, 4, 3).indices)).toEqual([1, 3, 2]);
  });
  it("refuses inputs whose length does not match d_in", () => {
    const err = (() => {
      try {
        make({}).encode(new Float32Array(3));
      } catch (e) {
        return e as InferenceError;
      }
    })();
    expect(err?.code).toBe("BAD_INPUT");
    expect(err?.message).toMatch(/mismatched d_in/);
  });
});

describe("loadSae (SAELens folders)", () => {
  function folder(cfg: object, tensors: Parameters<typeof writeSafetensors>[0]): string {
    const dir = join(mkdtempSync(join(tmpdir(), "sae-")), "my.sae");
    mkdirSync(dir);
    writeFileSync(join(dir, "cfg.json"), JSON.stringify(cfg));
    writeFileSync(join(dir, "sae_weights.safetensors"), writeSafetensors(tensors));
    return dir;
  }
  const base = {
    W_enc: { shape: [2, 3], data: W_enc },
    W_dec: { shape: [3, 2], data: W_dec },
    b_enc: { shape: [3], data: b_enc },
    b_dec: { shape: [2], data: b_dec },
  };

  it("loads legacy topk cfg (activation_fn_str + kwargs) from F16 weights", () => {
    const f16 = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, { ...v, dtype: "F16" as const }]));
    const sae = loadSae(
      folder(
        {
          d_in: 2,
          d_sae: 3,
          architecture: "standard",
          activation_fn_str: "topk",
          activation_fn_kwargs: { k: 1 },
          apply_b_dec_to_input: false,
          hook_name: "blocks.0.hook_resid_post",
        },
        f16,
      ),
    );
    expect(sae.name).toBe("my.sae");
    expect(sae.cfg.architecture).toBe("topk");
    expect(sae.cfg.hookName).toBe("blocks.0.hook_resid_post");
    expect(arr(sae.encode(Float32Array.from([1, 1])))).toEqual([2, 0, 0]); // all values exact in F16
  });

  it("expected_average_only_in folds a norm scaling factor like SAELens", () => {
    const cfg = {
      d_in: 2,
      d_sae: 3,
      architecture: "standard",
      apply_b_dec_to_input: true,
      normalize_activations: "expected_average_only_in",
    };
    const dir = folder(cfg, base);
    const plain = loadSae(dir);
    const folded = loadSae(dir, { normScalingFactor: 2 });
    expect(folded.cfg.normalizeActivations).toBe("none");
    expect(arr(folded.encode(Float32Array.from([0.5, 1])))).toEqual(arr(plain.encode(Float32Array.from([1, 2]))));
  });

  it("refuses bad SAE folders clearly", () => {
    const codeAndMsg = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return `${(e as InferenceError).code}: ${(e as Error).message}`;
      }
      return "none";
    };
    expect(codeAndMsg(() => loadSae(folder({ d_in: 2, d_sae: 3, architecture: "jumprelu" }, base)))).toMatch(
      /BAD_SAE.*threshold/,
    );
    expect(codeAndMsg(() => loadSae(folder({ d_in: 4, d_sae: 3 }, base)))).toMatch(/BAD_SAE.*W_enc.*\[2,3\].*\[4,3\]/);
    expect(codeAndMsg(() => loadSae(folder({ d_in: 2, d_sae: 3, architecture: "mystery" }, base)))).toMatch(
      /BAD_SAE.*mystery/,
    );
    expect(codeAndMsg(() => loadSae(folder({ d_in: 2, d_sae: 3, architecture: "topk" }, base)))).toMatch(/BAD_SAE.*k/);
    expect(codeAndMsg(() => loadSae("/nonexistent/sae"))).toMatch(/BAD_SAE.*cfg.json/);
    const nan = { ...base, b_enc: { shape: [3], data: Float32Array.from([0, Number.NaN, Number.POSITIVE_INFINITY]) } };
    expect(codeAndMsg(() => loadSae(folder({ d_in: 2, d_sae: 3 }, nan)))).toMatch(
      /BAD_SAE.*"b_enc" has 2 non-finite values.*first at flat index 1/,
    );
  });
});
