// Public API of @mmatlas/porting: moving data in and out of mmatlas: models (manifest + ONNX), SAELens SAEs,
// datasets (image folders, JSONL texts), annotations (JSONL/CSV export, JSONL import, round-trip exact) and
// Neuronpedia-like atlas JSONL.
export { resolveImportFolder } from "./import-roots";
export { importModel, type ImportModelOptions } from "./import-model";
export { importSae, type ImportSaeOptions, type ImportSaeResult } from "./import-sae";
export { removeDictionary, removeModel, type RemoveResult, type RemovedUnits } from "./remove";
export { importImageFolder, importTextJsonl, type ImportDatasetOptions } from "./import-dataset";
export { type AnnotationRecord, type PortableUser } from "./annotation-record";
export { exportAnnotations, type AnnotationFormat } from "./export-annotations";
export { importAnnotations, parseAnnotationJsonl, type ImportAnnotationsResult } from "./import-annotations";
export { exportAtlas, type AtlasExportOptions } from "./export-atlas";
export {
  isHfClipFolder,
  planHfClipImport,
  importHfClipModel,
  formatHookTable,
  planNotes,
  type ImportHfClipOptions,
  type HfClipPlan,
  type HookRow,
} from "./hf-clip";
