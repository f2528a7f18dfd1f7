// glibc malloc settings for the processes that run ONNX inference (API, worker, atlas builds, inference benches).
// onnxruntime-node 1.30 copies every output tensor into a fresh ArrayBuffer. With glibc's defaults each hook or SAE
// output above the mmap threshold (0.3–1.1 MB at batch 16–64) is mmapped, faulted in page by page and unmapped
// again on every call: 142 page faults per batch-16 run, 28 % of the wall time in the kernel (docs/benchmarks.md).
// These settings keep such buffers on the heap, where they are reused. glibc reads them only at process start, so
// they go into the environment of the processes we spawn. A variable already set in the environment wins;
// MMATLAS_MALLOC_TUNING=0 leaves glibc's defaults (the same as not setting them). Other C libraries ignore them.
export const MALLOC_TUNING = Object.freeze({
  MALLOC_MMAP_THRESHOLD_: String(32 * 1024 * 1024), // outputs up to 32 MB come from the heap, not from mmap
  MALLOC_TRIM_THRESHOLD_: String(1024 * 1024 * 1024), // do not hand freed heap memory back after every call
  MALLOC_TOP_PAD_: String(64 * 1024 * 1024), // grow the heap in 64 MB steps instead of one call's worth
});

/** `env` plus the malloc settings it does not set itself (unchanged when MMATLAS_MALLOC_TUNING=0). */
export function withMallocTuning(env = process.env) {
  if (env.MMATLAS_MALLOC_TUNING === "0") return { ...env };
  const out = { ...env };
  for (const [key, value] of Object.entries(MALLOC_TUNING)) if (out[key] === undefined) out[key] = value;
  return out;
}
