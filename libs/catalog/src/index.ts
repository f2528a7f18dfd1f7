// Public API of @mmatlas/catalog: reads of models, hook points, dictionaries, datasets and units (filtered
// Relay pages with stable cursors), dictionaries' build state, per-request loaders, and registering a model from its manifest.
export { decodeCursor, type CursorValue, type CursorShape } from "./cursor";
export { pageSize, toConnection, type Connection, type PageInfo } from "./pagination";
export { listUnits, countUnits, getUnit, unitWhere, type UnitFilter, type UnitSort } from "./units";
export {
  rareSearchStatement,
  commonSearchStatement,
  PROBE_LIMIT,
  type ListingKey,
  type ScopedStatement,
} from "./label-search";
export { listModels, getModel, listDatasets, getDataset } from "./models";
export { resolveModelId, resolveDatasetId, withModelId, forgetResolvedRefs } from "./resolve-ref";
export {
  createCatalogLoaders,
  type CatalogLoaders,
  type TextTokensKey,
  type ExampleSummary,
  type TopActivationWithExample,
} from "./loaders";
export { exampleImages } from "./activations-query";
export { registerModelFromManifest, saeArchitectureOf, type RegisteredModel } from "./register-model";
export { ensureModelRegistered } from "./ensure-model";
export { countUnitsAndAnnotations, type UnitAndLabelCounts } from "./unit-counts";
export { modelDirectory, dictionaryFolder, storedWeightsPath, runtimeManifest } from "./model-runtime";
export { type DictionaryBuild, type DictionaryBuildStatus, type BuildJobRow } from "./dictionary-builds";
export { unitSetProgress, type UnitSetProgress } from "./progress";
export { unitSetMap, MAX_NEIGHBOURS, type NeighbourKind, type UnitSetMap } from "./unit-neighbours";
export { imageGridSize } from "./model-geometry";
export { ModelTokenizers } from "./example-tokens";
