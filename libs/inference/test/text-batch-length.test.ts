// Text batches at their own length (runner/trim-positions.ts): the padding helpers against hand-computed values,
// and the runner on three text graphs of the tiny-clip fixture — a free sequence axis with a causal mask (trimmed,
// equal to the float64 reference up to each <eos>, zeros after the batch's longest row; with textPositions
// "longest" the same values at the call's longest row), the same axis declared free
// on a graph with fixed-size constants (fails short: turned off, logged, full-length results), and a free axis
// without the causal mask (disagrees: turned off, logged, full-length results).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRunner, decodeModel, encodeModel, type Runner } from "../src";
import { declaredAt, padAxes, positionsNeeded, untrimmedDims } from "../src/runner/trim-positions";
import { D, H, TT, writeFixtureModel } from "./fixtures/tiny-clip";
import { maxAbsDiff, referenceText } from "./fixtures/reference";

const HOOKS = ["text.blocks.0.hook_resid_post", "text.blocks.0.attn.hook_pattern"];
const TEXTS = ["a red circle", "blue", "red"]; // eos at 3, 1, 1 (TT = 5)

describe("padding helpers", () => {
  it("positionsNeeded: the longest row's eos + 1 within the rows asked for, clamped to [1, full]", () => {
    const rows = [{ eosPosition: 3 }, { eosPosition: 1 }, { eosPosition: 0 }, { eosPosition: 9 }];
    expect(positionsNeeded(rows, 0, 2, 5)).toBe(4);
    expect(positionsNeeded(rows, 1, 2, 5)).toBe(2);
    expect(positionsNeeded(rows, 2, 1, 5)).toBe(1);
    expect(positionsNeeded(rows, 3, 1, 5)).toBe(5);
  });

  it("untrimmedDims: only axes that came back as `ran` where the declared shape says `full`", () => {
    expect(untrimmedDims([2, 3, 8], [2, 5, 8], 3, 5)).toEqual([2, 5, 8]);
    expect(untrimmedDims([2, 4, 3, 3], [2, 4, 5, 5], 3, 5)).toEqual([2, 4, 5, 5]);
    expect(untrimmedDims([2, 8], [2, 8], 3, 5)).toBeNull(); // nothing trimmed (embeddings)
    expect(untrimmedDims([2, 3, 7], [2, 5, 8], 3, 5)).toBeNull(); // another axis differs: left to the shape check
    expect(untrimmedDims([2, 3], [2, 5, 8], 3, 5)).toBeNull();
    // to the call's longest row (4) instead of the declared 5
    expect(untrimmedDims([2, 4, 3, 3], [2, 4, 5, 5], 3, 5, 4)).toEqual([2, 4, 4, 4]);
    expect(untrimmedDims([2, 3, 8], [2, 5, 8], 3, 5, 3)).toEqual([2, 3, 8]);
  });

  it("declaredAt: the axes declared `full` that came back at `length`; names and other axes as declared", () => {
    expect(declaredAt(["batch", 5, 8], [2, 3, 8], 5, 3)).toEqual(["batch", 3, 8]);
    expect(declaredAt(["batch", 4, 5, 5], [2, 4, 3, 3], 5, 3)).toEqual(["batch", 4, 3, 3]);
    expect(declaredAt(["batch", 5, 5], [2, 5, 3], 5, 3)).toEqual(["batch", 5, 3]); // a width that happens to be 5
    expect(declaredAt(["batch", 5, 8], [2, 3, 8], 5, 5)).toEqual(["batch", 5, 8]); // at full length: unchanged
    expect(declaredAt(["batch", 5, 8], [2, 4, 8], 5, 3)).toEqual(["batch", 5, 8]); // not at `length`: left to checkDims
  });

  it("padAxes: values keep their indices, new cells are zero (one axis, two axes, none)", () => {
    // [2, 2, 2] → [2, 3, 2]
    expect(Array.from(padAxes(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [2, 2, 2], [2, 3, 2]))).toEqual([
      1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 0, 0,
    ]);
    // [1, 2, 2, 2] → [1, 2, 3, 3] (attention: queries and keys)
    expect(Array.from(padAxes(Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [1, 2, 2, 2], [1, 2, 3, 3]))).toEqual([
      1, 2, 0, 3, 4, 0, 0, 0, 0, 5, 6, 0, 7, 8, 0, 0, 0, 0,
    ]);
    const same = padAxes(Float32Array.from([1, 2]), [1, 2], [1, 2]);
    expect(Array.from(same)).toEqual([1, 2]);
    expect(padAxes(Int32Array.from([1]), [1], [3])).toBeInstanceOf(Int32Array);
  });
});

/** A runner on the fixture model in `dir`, with its log lines collected. */
async function runWith(dir: string): Promise<{ runner: Runner; logs: string[] }> {
  const logs: string[] = [];
  const runner = await createRunner(dir, { intraOpNumThreads: 1, logger: (m) => logs.push(m) });
  return { runner, logs };
}

/** Positions ≥ valid[b] of row b zeroed ([B, T, D] along T; [B, H, T, T] along both T axes). */
function upTo(data: ArrayLike<number>, shape: number[], valid: number[]): number[] {
  const out = Array.from(data);
  const [B] = shape,
    T = shape[shape.length - 2],
    W = shape[shape.length - 1],
    per = out.length / B;
  for (let b = 0; b < B; b++)
    for (let i = 0; i < per; i++) {
      const col = i % W,
        row = Math.floor(i / W) % T;
      if (row >= valid[b] || (shape.length === 4 && col >= valid[b])) out[b * per + i] = 0;
    }
  return out;
}

describe("runner: text batches at their own length", () => {
  it("a free sequence axis with a causal mask: each batch runs at its longest row, equal to the reference up to <eos>", async () => {
    const { runner, logs } = await runWith(writeFixtureModel(undefined, "free"));
    try {
      const out = await runner.runTexts(TEXTS, HOOKS, { batchSize: 2 }); // batches: [4 positions], [2 positions]
      const ids = out.tokens.map((t) => t.ids);
      const valid = out.tokens.map((t) => t.eosPosition + 1);
      expect(valid).toEqual([4, 2, 2]);
      const ref = referenceText(ids);
      expect(maxAbsDiff(out.embeds.data, ref.embeds)).toBeLessThan(1e-4);
      const resid = out.hooks[HOOKS[0]],
        pattern = out.hooks[HOOKS[1]];
      expect(resid.dims).toEqual([3, TT, D]); // padded back to the declared shape
      expect(pattern.dims).toEqual([3, H, TT, TT]);
      expect(maxAbsDiff(upTo(resid.data, resid.dims, valid), upTo(ref.resid_post, resid.dims, valid))).toBeLessThan(
        1e-4,
      );
      expect(maxAbsDiff(upTo(pattern.data, pattern.dims, valid), upTo(ref.pattern, pattern.dims, valid))).toBeLessThan(
        1e-4,
      );
      // batch 1 ran at 4 positions: row 0's 5th position is zero; batch 2 at 2: the third row's positions 2.. too
      const at = (b: number, t: number) => Array.from(resid.data.subarray((b * TT + t) * D, (b * TT + t + 1) * D));
      expect(at(0, 4)).toEqual(new Array(D).fill(0));
      expect(at(1, 3).some((v) => v !== 0)).toBe(true); // within batch 1's length: the model's value after <eos>
      expect(at(2, 2)).toEqual(new Array(D).fill(0));
      expect(Array.from(ref.resid_post.subarray(4 * D, 5 * D)).some((v) => v !== 0)).toBe(true); // the full run is not zero there
      expect(logs.filter((l) => /own length/.test(l))).toEqual([]);
    } finally {
      await runner.close();
    }
  });

  it('textPositions "longest": outputs at the call\'s longest row (shorter batches padded to it), values as "declared"', async () => {
    const { runner, logs } = await runWith(writeFixtureModel(undefined, "free"));
    try {
      const declared = await runner.runTexts(TEXTS, HOOKS, { batchSize: 2 });
      const longest = await runner.runTexts(TEXTS, HOOKS, { batchSize: 2, textPositions: "longest" });
      const L = 4; // row 0's <eos> at 3
      const resid = longest.hooks[HOOKS[0]],
        pattern = longest.hooks[HOOKS[1]];
      expect(resid.dims).toEqual([3, L, D]);
      expect(pattern.dims).toEqual([3, H, L, L]);
      expect(Array.from(longest.embeds.data)).toEqual(Array.from(declared.embeds.data));
      // every value equals the declared run's at the same (row, position); the declared run's positions ≥ L are 0
      const full = declared.hooks[HOOKS[0]].data;
      for (let b = 0; b < 3; b++)
        for (let t = 0; t < L; t++)
          expect(Array.from(resid.data.subarray((b * L + t) * D, (b * L + t + 1) * D))).toEqual(
            Array.from(full.subarray((b * TT + t) * D, (b * TT + t + 1) * D)),
          );
      const fullPattern = declared.hooks[HOOKS[1]].data;
      for (let bh = 0; bh < 3 * H; bh++)
        for (let q = 0; q < L; q++)
          expect(Array.from(pattern.data.subarray((bh * L + q) * L, (bh * L + q + 1) * L))).toEqual(
            Array.from(fullPattern.subarray((bh * TT + q) * TT, (bh * TT + q) * TT + L)),
          );
      // one batch of the two short rows: both at 2 positions, no padding at all
      const short = await runner.runTexts(TEXTS.slice(1), HOOKS, { batchSize: 2, textPositions: "longest" });
      expect(short.hooks[HOOKS[0]].dims).toEqual([2, 2, D]);
      expect(logs).toEqual([]);
      await expect(
        runner.runTexts(TEXTS, HOOKS, { textPositions: "shortest" as unknown as "longest" }),
      ).rejects.toMatchObject({ code: "BAD_INPUT", message: expect.stringMatching(/textPositions must be/) });
    } finally {
      await runner.close();
    }
  });

  it('textPositions "longest" where the graph cannot run short: full-length outputs, as "declared"', async () => {
    for (const variant of [undefined, "free-bidirectional"] as const) {
      const { runner } = await runWith(writeFixtureModel(undefined, variant)); // fixed axis; free but refused
      try {
        const out = await runner.runTexts(TEXTS, HOOKS, { batchSize: 2, textPositions: "longest" });
        expect(out.hooks[HOOKS[0]].dims).toEqual([3, TT, D]);
        expect(out.hooks[HOOKS[1]].dims).toEqual([3, H, TT, TT]);
        const declared = await runner.runTexts(TEXTS, HOOKS, { batchSize: 2 });
        expect(Array.from(out.embeds.data)).toEqual(Array.from(declared.embeds.data));
        expect(Array.from(out.hooks[HOOKS[0]].data)).toEqual(Array.from(declared.hooks[HOOKS[0]].data));
      } finally {
        await runner.close();
      }
    }
  });

  it("a free axis over fixed-size constants fails short: turned off with a log line, full-length results", async () => {
    const dir = writeFixtureModel(); // constants sized TT …
    const text = decodeModel(readFileSync(join(dir, "text.onnx")));
    text.graph!.input![0].type!.tensorType!.shape!.dim![1] = { dimParam: "sequence" }; // … under a free input axis
    writeFileSync(join(dir, "text.onnx"), encodeModel(text));
    const { runner, logs } = await runWith(dir);
    try {
      const out = await runner.runTexts(TEXTS, HOOKS, { batchSize: 2 });
      const ref = referenceText(out.tokens.map((t) => t.ids));
      expect(maxAbsDiff(out.embeds.data, ref.embeds)).toBeLessThan(1e-4);
      expect(maxAbsDiff(out.hooks[HOOKS[0]].data, ref.resid_post)).toBeLessThan(1e-4); // every position, as at TT
      expect(logs).toEqual([
        expect.stringMatching(
          /TEXT tower: batches at their own length turned off \(the graph failed at 4 of 5 positions/,
        ),
      ]);
      await runner.runTexts(TEXTS, HOOKS, { batchSize: 2 });
      expect(logs).toHaveLength(1); // not tried again
    } finally {
      await runner.close();
    }
  });

  it("a free axis without the causal mask disagrees with the full-length run: turned off, full-length results", async () => {
    const { runner, logs } = await runWith(writeFixtureModel(undefined, "free-bidirectional"));
    try {
      const first = await runner.runTexts(TEXTS, HOOKS, { batchSize: 2 });
      expect(logs).toEqual([expect.stringMatching(/turned off \(embeddings at 4 and 5 positions differ by/)]);
      const again = await runner.runTexts(TEXTS, HOOKS, { batchSize: 3 }); // one batch, full length from the start
      expect(Array.from(first.embeds.data)).toEqual(Array.from(again.embeds.data));
      expect(Array.from(first.hooks[HOOKS[0]].data)).toEqual(Array.from(again.hooks[HOOKS[0]].data));
    } finally {
      await runner.close();
    }
  });

  it("a fixed sequence axis (the built-in model's kind) always runs at full length", async () => {
    const { runner, logs } = await runWith(writeFixtureModel());
    try {
      const out = await runner.runTexts(["blue"], HOOKS, { batchSize: 1 });
      const ref = referenceText(out.tokens.map((t) => t.ids));
      expect(maxAbsDiff(out.hooks[HOOKS[0]].data, ref.resid_post)).toBeLessThan(1e-4); // padding positions included
      expect(logs).toEqual([]);
    } finally {
      await runner.close();
    }
  });
});
