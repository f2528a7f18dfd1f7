// Streaming state of one attention hook's heads: running sums of the per-head statistics of
// @mmatlas/atlas attentionHeadStats (CLS / self / neighbour mass, entropy), weighted by examples, plus the
// attention patterns of the first few examples so the web can draw them.
import { AtlasError, attentionHeadStats, type AttentionLayout } from "@mmatlas/atlas";

export const STORED_PATTERNS = 3;

export interface HeadStateSnapshot {
  examples: number;
  sums: { toCls: number; toSelf: number; toNeighbours: number; neighbourExamples: number; entropy: number }[];
  patterns: { exampleIndex: number; validLength: number; heads: number[][] }[];
}

export interface HeadLayout {
  layout: AttentionLayout;
  clsPositions: number[];
}

export class HeadState {
  private constructor(
    readonly heads: number,
    readonly seqLen: number,
    private s: HeadStateSnapshot,
  ) {}

  /** bytes a state of these heads holds once full: its STORED_PATTERNS patterns, seqLen × seqLen numbers per head */
  static bytesFor(heads: number, seqLen: number): number {
    return heads * STORED_PATTERNS * seqLen * seqLen * 8;
  }

  static create(heads: number, seqLen: number): HeadState {
    return new HeadState(heads, seqLen, {
      examples: 0,
      sums: Array.from({ length: heads }, () => ({
        toCls: 0,
        toSelf: 0,
        toNeighbours: 0,
        neighbourExamples: 0,
        entropy: 0,
      })),
      patterns: [],
    });
  }

  /**
   * patterns [examples × heads × seqLenIn × seqLenIn]; seqLenIn (default: the state's seqLen) may be fewer, for a
   * text batch run at its longest row. Stored patterns are padded back to seqLen × seqLen with zeros.
   */
  add(
    exampleIds: number[],
    patterns: Float32Array,
    layout: HeadLayout,
    valid?: number[],
    seqLenIn = this.seqLen,
  ): void {
    const n = exampleIds.length,
      H = this.heads,
      T = seqLenIn;
    if (!Number.isInteger(T) || T < 1 || T > this.seqLen)
      throw new AtlasError("BAD_INPUT", `attention patterns at ${T} positions; this hook has ${this.seqLen}`);
    const stats = attentionHeadStats({
      patterns,
      batch: n,
      heads: H,
      seqLen: T,
      clsPositions: layout.clsPositions,
      layout: layout.layout,
      validLengths: valid,
    });
    for (const st of stats) {
      const sum = this.s.sums[st.head];
      sum.toCls += st.toCls * n;
      sum.toSelf += st.toSelf * n;
      sum.entropy += st.entropy * n;
      if (st.toNeighbours !== null) {
        sum.toNeighbours += st.toNeighbours * n;
        sum.neighbourExamples += n;
      }
    }
    this.s.examples += n;
    for (let e = 0; e < n && this.s.patterns.length < STORED_PATTERNS; e++) {
      const heads: number[][] = [];
      for (let h = 0; h < H; h++) heads.push(storedPattern(patterns.subarray((e * H + h) * T * T), T, this.seqLen));
      this.s.patterns.push({ exampleIndex: exampleIds[e], validLength: valid ? valid[e] : T, heads });
    }
  }

  result(head: number): {
    toCls: number;
    toSelf: number;
    toNeighbours: number | null;
    entropy: number;
    examples: number;
  } {
    const sum = this.s.sums[head],
      n = Math.max(1, this.s.examples);
    return {
      toCls: sum.toCls / n,
      toSelf: sum.toSelf / n,
      entropy: sum.entropy / n,
      examples: this.s.examples,
      toNeighbours: sum.neighbourExamples > 0 ? sum.toNeighbours / sum.neighbourExamples : null,
    };
  }

  patternsOf(head: number): { exampleIndex: number; validLength: number; pattern: number[] }[] {
    return this.s.patterns.map((p) => ({
      exampleIndex: p.exampleIndex,
      validLength: p.validLength,
      pattern: p.heads[head],
    }));
  }

  snapshot(): HeadStateSnapshot {
    return JSON.parse(JSON.stringify(this.s)) as HeadStateSnapshot;
  }

  static restore(s: HeadStateSnapshot, heads: number, seqLen: number): HeadState {
    return new HeadState(heads, seqLen, JSON.parse(JSON.stringify(s)) as HeadStateSnapshot);
  }
}

/** A pattern [from × from] as stored: [to × to] (zeros after `from`), values rounded to 1e-4. */
function storedPattern(pattern: Float32Array, from: number, to: number): number[] {
  const out = new Array<number>(to * to).fill(0);
  for (let q = 0; q < from; q++)
    for (let k = 0; k < from; k++) out[q * to + k] = Math.round(pattern[q * from + k] * 1e4) / 1e4;
  return out;
}
