// Run-time shape checks of hook outputs against the manifest's declared shapes.
import { InferenceError } from "../errors";
import type { DimSpec } from "../manifest/types";

/** Throws SHAPE_MISMATCH unless `dims` fits `spec` ("batch" = batch, other names match anything). */
export function checkDims(spec: DimSpec[], dims: readonly number[], batch: number, label: string): void {
  const ok =
    spec.length === dims.length &&
    spec.every((d, i) => (d === "batch" ? dims[i] === batch : typeof d === "number" ? dims[i] === d : true));
  if (!ok)
    throw new InferenceError(
      "SHAPE_MISMATCH",
      `${label}: got shape [${dims.join(", ")}], manifest declares [${spec.join(", ")}] (batch ${batch})`,
    );
}
