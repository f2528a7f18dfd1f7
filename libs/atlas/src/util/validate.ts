// Argument checks shared by the atlas math: integer sizes, typed-array lengths, finite values.
import { AtlasError } from "../errors";

export type NumericArray = ArrayLike<number>;

export function assertPositiveInt(value: number, name: string): void {
  if (!Number.isInteger(value) || value <= 0)
    throw new AtlasError("BAD_OPTION", `${name} must be a positive integer, got ${value}`);
}

export function assertNonNegativeInt(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0)
    throw new AtlasError("BAD_OPTION", `${name} must be a non-negative integer, got ${value}`);
}

export function assertLength(array: { length: number }, expected: number, name: string): void {
  if (array.length !== expected) {
    throw new AtlasError("SHAPE_MISMATCH", `${name} has length ${array.length}, expected ${expected}`);
  }
}

/** Throws NON_FINITE naming the first NaN/±Infinity entry of `array`. */
export function assertAllFinite(array: NumericArray, name: string): void {
  for (let i = 0; i < array.length; i++) {
    if (!Number.isFinite(array[i])) throw new AtlasError("NON_FINITE", `${name}[${i}] is ${array[i]}`);
  }
}

export function assertFiniteNumber(value: number, name: string): void {
  if (!Number.isFinite(value)) throw new AtlasError("NON_FINITE", `${name} is ${value}`);
}
