// Public surface of the runner.
export { createRunner, Runner } from "./create-runner";
export { neuronDirection } from "./intervention";
export { DEFAULT_MAX_SESSIONS, sessionCacheBytes, sessionCapacity } from "./session-capacity";
export type {
  RunnerOptions,
  RunOptions,
  Intervention,
  RunResult,
  TextRunResult,
  TensorOutput,
  SaeOutput,
  TextPositions,
} from "./types";
