// Selects tfjs-backend-wasm (single-threaded SIMD; bit-deterministic) once per process.
import * as tf from "@tensorflow/tfjs";
import { setThreadsCount } from "@tensorflow/tfjs-backend-wasm";

let ready: Promise<void> | null = null;

/** Use the wasm backend (falls back to the pure-JS cpu backend when wasm cannot start). */
export function useWasmBackend(threads = 1): Promise<void> {
  ready ??= (async () => {
    setThreadsCount(threads);
    const ok = await tf.setBackend("wasm").catch(() => false);
    if (!ok) await tf.setBackend("cpu");
    await tf.ready();
  })();
  return ready;
}
