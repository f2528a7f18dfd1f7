// Training is reproducible from its seeds (bit-identical weights) and actually changes the weights.
import { CLIP_SHAPES_CONFIG } from "../src/model/config";
import { useWasmBackend } from "../src/model/backend";
import { makeBatch, trainClip } from "../src/model/train";

const run = (seed: number) =>
  trainClip(CLIP_SHAPES_CONFIG, { seed, dataSeed: 5, steps: 3, batch: 16, lr: 1e-3, warmup: 1, logEvery: 100 });

describe("trainClip", () => {
  beforeAll(() => useWasmBackend(1));

  it("gives bit-identical weights for the same seeds and different weights for another seed", () => {
    const a = run(1),
      b = run(1),
      c = run(2);
    const bytes = (w: typeof a.weights) =>
      Buffer.concat(Object.values(w).map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)));
    expect(bytes(a.weights).equals(bytes(b.weights))).toBe(true);
    expect(bytes(a.weights).equals(bytes(c.weights))).toBe(false);
    expect(a.losses).toEqual(b.losses);
    expect(a.losses.every(Number.isFinite)).toBe(true);
  }, 30000);

  it("builds batches whose soft targets are row-stochastic and include the diagonal", () => {
    const b = makeBatch(CLIP_SHAPES_CONFIG, 5, 0, 16);
    for (let i = 0; i < 16; i++) {
      const row = b.imageToText.subarray(i * 16, (i + 1) * 16);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      expect(row[i]).toBeGreaterThan(0);
    }
    expect(b.tokens.length).toBe(16 * CLIP_SHAPES_CONFIG.textSeqLen);
    expect(b.patches.length).toBe(16 * 16 * 192);
  });
});
