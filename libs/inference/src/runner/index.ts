// Public surface of the runner.
export { createRunner, Runner } from "./create-runner";
export { neuronDirection } from "./intervention";
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
