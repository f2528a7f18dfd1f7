// Where a unit's activation map lives in a hook tensor [examples × positions × units]: a rows × cols patch
// grid, row-major, starting at position `firstPatch` (1 for a ViT with one CLS token, 0 for a bare map).
import { AtlasError } from "../errors";
import { assertNonNegativeInt, assertPositiveInt } from "../util/validate";

export interface PatchGrid {
  rows: number;
  cols: number;
  firstPatch: number;
}

/** Checks the grid and that it fits in `positions`. */
export function checkGrid(grid: PatchGrid, positions: number): void {
  assertPositiveInt(positions, "positions");
  assertPositiveInt(grid?.rows, "grid.rows");
  assertPositiveInt(grid.cols, "grid.cols");
  assertNonNegativeInt(grid.firstPatch, "grid.firstPatch");
  if (grid.firstPatch + grid.rows * grid.cols > positions) {
    throw new AtlasError(
      "SHAPE_MISMATCH",
      `grid ${grid.rows}×${grid.cols} from position ${grid.firstPatch} does not fit in ${positions} positions`,
    );
  }
}
