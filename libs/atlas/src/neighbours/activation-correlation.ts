// Nearest units by activation correlation: Pearson's r between two units' activations over the same examples
// (the probe set), i.e. the cosine of their centered activation profiles. Units that never vary over the probe set
// (dead or constant) have no correlation and no neighbours.
import { AtlasError } from "../errors";
import { cosineTopK, type CosineTopKOptions, type NeighbourLists } from "./cosine-top-k";
import { cosineTopKByProducts, type ProductTopKOptions, type RowProductsFactory } from "./product-top-k";

/** Transposes [samples × units] activations into [units × samples] profiles (float32). */
export function unitProfiles(activations: ArrayLike<number>, samples: number, units: number): Float32Array {
  if (activations.length < samples * units)
    throw new AtlasError("SHAPE_MISMATCH", `${activations.length} activations for ${samples} × ${units}`);
  const out = new Float32Array(units * samples);
  for (let s = 0; s < samples; s++) {
    const o = s * units;
    for (let u = 0; u < units; u++) out[u * samples + s] = activations[o + u];
  }
  return out;
}

/** Pearson correlation of two equally long series; null when either is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  if (a.length !== b.length || a.length < 2)
    throw new AtlasError(
      "SHAPE_MISMATCH",
      `pearson needs two series of the same length ≥ 2 (${a.length}, ${b.length})`,
    );
  let ma = 0,
    mb = 0;
  for (let i = 0; i < a.length; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= a.length;
  mb /= b.length;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] - ma,
      y = b[i] - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : null;
}

/** Each unit's k most correlated other units over `samples` examples; `activations` is [samples × units]. */
export function correlationTopK(
  activations: ArrayLike<number>,
  samples: number,
  units: number,
  k: number,
  opts: Omit<CosineTopKOptions, "center"> = {},
): NeighbourLists {
  if (samples < 2)
    throw new AtlasError("SHAPE_MISMATCH", `activation correlation needs at least 2 examples, got ${samples}`);
  return cosineTopK(unitProfiles(activations, samples, units), units, samples, k, { ...opts, center: true });
}

/** correlationTopK with the dot products by `factory` (see product-top-k.ts): the same lists up to float32 rounding. */
export async function correlationTopKByProducts(
  factory: RowProductsFactory,
  activations: ArrayLike<number>,
  samples: number,
  units: number,
  k: number,
  opts: Omit<ProductTopKOptions, "center"> = {},
): Promise<NeighbourLists> {
  if (samples < 2)
    throw new AtlasError("SHAPE_MISMATCH", `activation correlation needs at least 2 examples, got ${samples}`);
  return cosineTopKByProducts(factory, unitProfiles(activations, samples, units), units, samples, k, {
    ...opts,
    center: true,
  });
}
