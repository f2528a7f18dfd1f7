// Public surface of the SAE module.
export { Sae, matmulBias } from "./sae";
export { loadSae, type LoadSaeOptions } from "./load";
export { parseSaeConfig, type SaeConfig, type SaeArchitecture, type SaeNormalization } from "./config";
export type { SaeWeights } from "./weights";
export { topKPerRow, type SparseRows } from "./top-k";
