// Public API of @mmatlas/catalog: reads of models, hook points, dictionaries, datasets and units (filtered
// Relay pages with stable cursors), per-request loaders, and registering a model from its manifest.
export { encodeCursor, decodeCursor, type CursorValue, type CursorShape } from "./cursor";
export { pageSize, toConnection, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Connection, type PageInfo } from "./pagination";
export { listUnits, countUnits, getUnit, unitWhere, SEARCH_MAX, type UnitFilter } from "./units";
export { searchUnitIds, countSearchUnits, rareSearchStatement, commonSearchStatement, PROBE_LIMIT, type ListingKey, type ScopedStatement } from "./label-search";
export { listModels, getModel, listDatasets, getDataset } from "./models";
export { createCatalogLoaders, type CatalogLoaders, type TopActivationWithExample } from "./loaders";
export { registerModelFromManifest, hookKindOf, saeArchitectureOf, storedDirectory, type RegisteredModel } from "./register-model";
export { unitSetProgress, type UnitSetProgress } from "./progress";
