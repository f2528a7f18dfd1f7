// Chooses the onnxruntime execution provider: CPU by default, cuda/webgpu when asked (option or INFERENCE_EP)
// and available in this onnxruntime-node build; otherwise CPU with a logged reason.
import * as ort from "onnxruntime-node";

export type ExecutionProviderName = "cpu" | "cuda" | "webgpu";
export type Logger = (message: string) => void;

export const defaultLogger: Logger = (m) => console.warn(`[inference] ${m}`);

/** The provider to try first; never throws (an unknown or unavailable name falls back to "cpu"). */
export function requestedExecutionProvider(
  requested: string | undefined,
  log: Logger = defaultLogger,
): ExecutionProviderName {
  const want = (requested ?? process.env.INFERENCE_EP ?? "cpu").trim().toLowerCase() || "cpu";
  if (want === "cpu") return "cpu";
  if (want !== "cuda" && want !== "webgpu") {
    log(`execution provider "${want}" is not supported (cpu, cuda, webgpu); using CPU`);
    return "cpu";
  }
  const backends = ort.listSupportedBackends();
  const found = backends.find((b) => b.name === want);
  if (!found) {
    log(
      `execution provider "${want}" is not in this onnxruntime-node build (has ${backends.map((b) => b.name).join(", ")}); using CPU`,
    );
    return "cpu";
  }
  return want;
}

export interface SessionTuning {
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  /** false: the intra-op threads sleep between parallel sections instead of spinning, leaving the cores to other
   * threads (the main thread's JavaScript while sessions run in a worker); default: onnxruntime's (spinning) */
  allowSpinning?: boolean;
}

/** onnxruntime session options for `provider` with these thread settings (plain data, safe to post to a worker). */
export function sessionOptions(
  provider: ExecutionProviderName,
  tuning: SessionTuning,
): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: "all",
    ...(tuning.intraOpNumThreads ? { intraOpNumThreads: tuning.intraOpNumThreads } : {}),
    ...(tuning.interOpNumThreads ? { interOpNumThreads: tuning.interOpNumThreads } : {}),
    // session config entry session.intra_op.allow_spinning (onnxruntime_session_options_config_keys.h)
    ...(tuning.allowSpinning === false ? { extra: { session: { intra_op: { allow_spinning: "0" } } } } : {}),
  };
}

/** Open something on `ep` with `open`, falling back to CPU (with the reason logged) when the provider fails. */
export async function openWithProviderFallback<S>(
  open: (options: ort.InferenceSession.SessionOptions) => Promise<S>,
  ep: ExecutionProviderName,
  tuning: SessionTuning,
  log: Logger,
  label: string,
): Promise<{ session: S; ep: ExecutionProviderName }> {
  if (ep !== "cpu") {
    try {
      return { session: await open(sessionOptions(ep, tuning)), ep };
    } catch (e) {
      log(`${label}: execution provider "${ep}" failed to start (${(e as Error).message.split("\n")[0]}); using CPU`);
    }
  }
  return { session: await open(sessionOptions("cpu", tuning)), ep: "cpu" };
}

/**
 * Create a session on `ep` from a graph's bytes or its file's path, falling back to CPU (with the reason logged)
 * when the provider fails to start.
 */
export async function createSessionWithFallback(
  model: Uint8Array | string,
  ep: ExecutionProviderName,
  tuning: SessionTuning,
  log: Logger,
  label: string,
): Promise<{ session: ort.InferenceSession; ep: ExecutionProviderName }> {
  return openWithProviderFallback(
    // one call per type: onnxruntime's overloads take a path or bytes, not their union
    (options) =>
      typeof model === "string"
        ? ort.InferenceSession.create(model, options)
        : ort.InferenceSession.create(model, options),
    ep,
    tuning,
    log,
    label,
  );
}
