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

/** copies a buffer into a JSON-friendly snapshot array of the same element type */
export function snapshotCopy(source: Float64Array): SnapshotFloat64Array;
export function snapshotCopy(source: Float32Array): SnapshotFloat32Array;
export function snapshotCopy(source: Int32Array): SnapshotInt32Array;
export function snapshotCopy(
  source: Float64Array | Float32Array | Int32Array,
): SnapshotFloat64Array | SnapshotFloat32Array | SnapshotInt32Array {
  const out =
    source instanceof Float64Array
      ? new SnapshotFloat64Array(source.length)
      : source instanceof Float32Array
        ? new SnapshotFloat32Array(source.length)
        : new SnapshotInt32Array(source.length);
  out.set(source);
  return out;
}
