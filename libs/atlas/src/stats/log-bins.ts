// Log-spaced bins over a fixed positive range [min, max): edges[i] = min·(max/min)^(i/bins), bin i is
// [edges[i], edges[i+1]). Shared by the histogram and the quantile sampler so both bucket values alike.
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

export const DEFAULT_LOG_BINS: Required<LogBinsOptions> = { min: 1e-3, max: 1e3, bins: 48 };

export class LogBins {
  readonly min: number;
  readonly max: number;
  readonly bins: number;
  readonly edges: Float64Array;
  private readonly logMin: number;
  private readonly scale: number;

  constructor(options: LogBinsOptions = {}) {
    const min = options.min ?? DEFAULT_LOG_BINS.min;
    const max = options.max ?? DEFAULT_LOG_BINS.max;
    const bins = options.bins ?? DEFAULT_LOG_BINS.bins;
    if (!(Number.isFinite(min) && min > 0)) throw new AtlasError("BAD_OPTION", `histogram min must be a finite number > 0, got ${min}`);
    if (!(Number.isFinite(max) && max > min)) throw new AtlasError("BAD_OPTION", `histogram max must be finite and > min (${min}), got ${max}`);
    assertPositiveInt(bins, "bins");
    this.min = min;
    this.max = max;
    this.bins = bins;
    this.logMin = Math.log(min);
    this.scale = bins / (Math.log(max) - this.logMin);
    this.edges = new Float64Array(bins + 1);
    for (let i = 0; i <= bins; i++) this.edges[i] = min * Math.pow(max / min, i / bins);
    this.edges[0] = min;
    this.edges[bins] = max;
  }

  /** bin of a value in [min, max) (callers handle v < min and v ≥ max themselves) */
  indexOf(value: number): number {
    let i = Math.floor((Math.log(value) - this.logMin) * this.scale);
    if (i < 0) i = 0;
    if (i >= this.bins) i = this.bins - 1;
    // correct floating-point error at the edges so that edges[i] ≤ value < edges[i+1]
    while (i > 0 && value < this.edges[i]) i--;
    while (i < this.bins - 1 && value >= this.edges[i + 1]) i++;
    return i;
  }
}
