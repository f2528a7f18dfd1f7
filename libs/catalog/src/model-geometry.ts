// The image geometry of a stored model, read from its manifest (Model.config): how many patches per side the
// vision tower sees (image.gridSize, else preprocess size ÷ patch size), so pages draw per-patch values on the
// model's real grid (7×7 for ViT-B/32 at 224 px) instead of guessing it from the number of values.

/** Patches per side of the model's vision tower; null for a model without an image config that says. */
export function imageGridSize(config: unknown): number | null {
  const image = (config && typeof config === "object" ? (config as { image?: unknown }).image : null) as
    { gridSize?: unknown; patchSize?: unknown; preprocess?: { size?: unknown } } | null | undefined;
  if (!image || typeof image !== "object") return null;
  if (isCount(image.gridSize)) return image.gridSize;
  const size = image.preprocess?.size,
    patch = image.patchSize;
  if (isCount(size) && isCount(patch) && size % patch === 0) return size / patch;
  return null;
}

const isCount = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x) && x > 0;
