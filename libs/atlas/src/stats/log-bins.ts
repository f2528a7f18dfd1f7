// Log-spaced bins over a fixed positive range [min, max): edges[i] = min·(max/min)^(i/bins), bin i is
// [edges[i], edges[i+1]). Shared by the histogram and the quantile sampler so both bucket values alike.
// indexOf avoids Math.log: the value's float32 bit pattern (exponent + top mantissa bits, a monotone key) picks a
// first guess from a table built at construction, then exact comparisons against the float64 edges settle the bin,
// so the result is the unique i with edges[i] ≤ value < edges[i+1], whatever the guess.
// slotOf / float32SlotTable place any number in one slot of an extended row (negative, zero, underflow, the bins,
// overflow) so a sweep over float32 values can count them with one table look-up instead of a chain of branches.
import { AtlasError } from "../errors";
import { assertPositiveInt } from "../util/validate";

export interface LogBinsOptions {
  /** lower edge of the first bin (> 0; default 1e-3) */
  min?: number;
  /** upper edge of the last bin (> min; default 1e3) */
  max?: number;
  /** number of bins (default 48, i.e. 8 per decade over the default range) */
  bins?: number;
}

/** the extended row of slotOf: negative, zero, (0, min), then bin i at FIRST_BIN + i, then ≥ max at FIRST_BIN + bins */
export const VALUE_SLOTS = { negative: 0, zero: 1, underflow: 2, firstBin: 3 } as const;

export const DEFAULT_LOG_BINS: Required<LogBinsOptions> = { min: 1e-3, max: 1e3, bins: 48 };

export class LogBins {
  readonly min: number;
  readonly max: number;
  readonly bins: number;
  readonly edges: Float64Array;
  /** first guess of the bin per float32 key (bits >>> KEY_SHIFT) from keyBase on */
  private readonly guess: Int32Array;
  private readonly keyBase: number;
  private slotTable: Int32Array | null = null;

  constructor(options: LogBinsOptions = {}) {
    const min = options.min ?? DEFAULT_LOG_BINS.min;
    const max = options.max ?? DEFAULT_LOG_BINS.max;
    const bins = options.bins ?? DEFAULT_LOG_BINS.bins;
    if (!(Number.isFinite(min) && min > 0))
      throw new AtlasError("BAD_OPTION", `histogram min must be a finite number > 0, got ${min}`);
    if (!(Number.isFinite(max) && max > min))
      throw new AtlasError("BAD_OPTION", `histogram max must be finite and > min (${min}), got ${max}`);
    assertPositiveInt(bins, "bins");
    this.min = min;
    this.max = max;
    this.bins = bins;
    this.edges = new Float64Array(bins + 1);
    for (let i = 0; i <= bins; i++) this.edges[i] = min * Math.pow(max / min, i / bins);
    this.edges[0] = min;
    this.edges[bins] = max;
    this.keyBase = float32Key(min);
    const keys = Math.min(MAX_KEYS, float32Key(max) - this.keyBase + 1);
    this.guess = new Int32Array(keys);
    let bin = 0;
    for (let k = 0; k < keys; k++) {
      const lowest = keyValue(this.keyBase + k); // smallest float32 with this key
      while (bin < bins - 1 && lowest >= this.edges[bin + 1]) bin++;
      this.guess[k] = bin;
    }
  }

  /** bin of a value in [min, max) (callers handle v < min and v ≥ max themselves) */
  indexOf(value: number): number {
    return this.indexOfKeyed(value, float32Key(value));
  }

  /** indexOf for a value read from a Float32Array whose bit pattern (Int32Array view) is `bits`: no conversion */
  indexOfFloat32(value: number, bits: number): number {
    return this.indexOfKeyed(value, bits >>> KEY_SHIFT);
  }

  /** slot (VALUE_SLOTS) of any number; NaN goes with the overflow (callers reject it) */
  slotOf(value: number): number {
    if (value === 0) return VALUE_SLOTS.zero;
    if (value < 0) return VALUE_SLOTS.negative;
    if (value < this.min) return VALUE_SLOTS.underflow;
    if (value < this.max) return VALUE_SLOTS.firstBin + this.indexOf(value);
    return VALUE_SLOTS.firstBin + this.bins;
  }

  /**
   * The slot shared by every float32 value with a given key (the bit pattern >>> KEY_SHIFT, sign bit included, as
   * an unsigned 17-bit number), or -1 where a key's values fall in different slots (a key straddling an edge, ±0
   * with the denormals of its sign): look-up first, slotOf only on -1. Built once per range and bin count (shared,
   * read-only).
   */
  float32SlotTable(): Int32Array {
    if (this.slotTable) return this.slotTable;
    const id = `${this.min}/${this.max}/${this.bins}`;
    let table = slotTables.get(id);
    if (!table) {
      table = new Int32Array(1 << (32 - KEY_SHIFT));
      const lowBits = (1 << KEY_SHIFT) - 1;
      for (let k = 0; k < table.length; k++) {
        // a key's values run monotonically from its lowest to its highest bit pattern, and so do the slots (one sign)
        const first = this.slotOf(bitsValue(k << KEY_SHIFT));
        table[k] = first === this.slotOf(bitsValue((k << KEY_SHIFT) | lowBits)) ? first : -1;
      }
      slotTables.set(id, table);
    }
    return (this.slotTable = table);
  }

  private indexOfKeyed(value: number, key: number): number {
    let k = key - this.keyBase;
    if (!(k >= 0)) k = 0;
    else if (k >= this.guess.length) k = this.guess.length - 1;
    let i = this.guess[k];
    // exact settling against the edges: edges[i] ≤ value < edges[i+1] (float32 rounding moves the guess ≤ 1 bin)
    while (i > 0 && value < this.edges[i]) i--;
    while (i < this.bins - 1 && value >= this.edges[i + 1]) i++;
    return i;
  }
}

/** mantissa bits dropped from the float32 key: 2^8 keys per octave, far finer than any useful bin */
const KEY_SHIFT = 15;
/** a float32's key for float32SlotTable: its bit pattern (Int32Array view) >>> FLOAT32_KEY_SHIFT */
export const FLOAT32_KEY_SHIFT = KEY_SHIFT;
/** table bound (the key space of positive float32 values is below 2^16 with KEY_SHIFT 15) */
const MAX_KEYS = 1 << 16;
/** float32SlotTable per "min/max/bins" (512 KiB each; a process uses a few ranges) */
const slotTables = new Map<string, Int32Array>();
const scratch = new Float32Array(1);
const scratchBits = new Int32Array(scratch.buffer);

/** monotone key of a positive number: its float32 bit pattern without the low mantissa bits */
function float32Key(value: number): number {
  scratch[0] = value;
  return scratchBits[0] >>> KEY_SHIFT;
}

/** the smallest float32 whose key is `key` */
function keyValue(key: number): number {
  return bitsValue(key << KEY_SHIFT);
}

/** the float32 with bit pattern `bits` */
function bitsValue(bits: number): number {
  scratchBits[0] = bits;
  return scratch[0];
}
