// Typed arrays for accumulator snapshots: copies of the accumulators' buffers (cheap memcpy, binary-checkpointable
// at real model size) that still serialize to plain number arrays through JSON.stringify, so JSON checkpoints of
// small states keep working. restore() accepts either form (`NumberList`).
export type NumberList = ArrayLike<number>;

export class SnapshotFloat64Array extends Float64Array {
  toJSON(): number[] {
    return Array.from(this);
  }
}

export class SnapshotFloat32Array extends Float32Array {
  toJSON(): number[] {
    return Array.from(this);
  }
}

export class SnapshotInt32Array extends Int32Array {
  toJSON(): number[] {
    return Array.from(this);
  }
}

/** a number list as stored in a snapshot: a plain array or any typed array */
export function isNumberList(v: unknown): v is NumberList {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * How a snapshot holds an accumulator's buffers: "copy" (the default: the accumulator can go on being fed) or
 * "share" (views of its buffers, no copy: valid only while the accumulator is not fed again, as for the checkpoint
 * at the end of a pass, whose states are only read from then on).
 */
export type SnapshotMode = "copy" | "share";

type SnapshotSource = Float64Array | Float32Array | Int32Array;
type SnapshotOf = SnapshotFloat64Array | SnapshotFloat32Array | SnapshotInt32Array;

/** `source` as a JSON-friendly snapshot array of the same element type: a copy, or a view of the same memory */
export function snapshotArray(source: Float64Array, mode: SnapshotMode): SnapshotFloat64Array;
export function snapshotArray(source: Float32Array, mode: SnapshotMode): SnapshotFloat32Array;
export function snapshotArray(source: Int32Array, mode: SnapshotMode): SnapshotInt32Array;
export function snapshotArray(source: SnapshotSource, mode: SnapshotMode): SnapshotOf {
  return snapshotOf(source, mode);
}

function snapshotOf(source: SnapshotSource, mode: SnapshotMode): SnapshotOf {
  const Snapshot =
    source instanceof Float64Array
      ? SnapshotFloat64Array
      : source instanceof Float32Array
        ? SnapshotFloat32Array
        : SnapshotInt32Array;
  if (mode === "share") return new Snapshot(source.buffer as ArrayBuffer, source.byteOffset, source.length);
  const out = new Snapshot(source.length);
  out.set(source);
  return out;
}

/** copies a buffer into a JSON-friendly snapshot array of the same element type */
export function snapshotCopy(source: Float64Array): SnapshotFloat64Array;
export function snapshotCopy(source: Float32Array): SnapshotFloat32Array;
export function snapshotCopy(source: Int32Array): SnapshotInt32Array;
export function snapshotCopy(source: SnapshotSource): SnapshotOf {
  return snapshotOf(source, "copy");
}

/**
 * How restore() takes a snapshot's buffers: "copy" (the default: the snapshot stays the caller's) or "adopt" (a
 * typed array of the accumulator's own element type and length becomes its buffer, no copy: only for snapshots that
 * nothing else holds, such as one whose buffers were just transferred from a worker thread).
 */
export type RestoreMode = "copy" | "adopt";

/** `source` itself where `mode` is "adopt" and it is a typed array like `target` (same type and length); else `target` filled from it */
export function adoptOrCopy<T extends Float64Array | Float32Array | Int32Array>(
  target: T,
  source: NumberList,
  mode: RestoreMode,
): T {
  const sameKind =
    (target instanceof Float64Array && source instanceof Float64Array) ||
    (target instanceof Float32Array && source instanceof Float32Array) ||
    (target instanceof Int32Array && source instanceof Int32Array);
  if (mode === "adopt" && sameKind && source.length === target.length) return source as T;
  target.set(source);
  return target;
}
