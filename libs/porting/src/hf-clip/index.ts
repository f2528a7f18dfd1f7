// Hugging Face / Optimum CLIP export import: folder reading, structural hook discovery, manifest staging.
export { isHfClipFolder, readHfClipFolder, type HfClipFolder } from "./hf-folder";
export { discoverLayers, type TowerGeometry, type LayerTensors, type DiscoveredLayers } from "./discover-hooks";
export { readHookOverrides, type HookRow } from "./hook-table";
export {
  planHfClipImport,
  importHfClipModel,
  formatHookTable,
  planNotes,
  type ImportHfClipOptions,
  type HfClipPlan,
} from "./import-hf-clip";
