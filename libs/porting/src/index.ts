// Public API of @mmatlas/porting: moving data in and out of mmatlas: models (manifest + ONNX), SAELens SAEs,
// datasets (image folders, JSONL texts), annotations (JSONL/CSV export, JSONL import, round-trip exact) and
// Neuronpedia-like atlas JSONL.
export { dataDir, safeName } from "./data-dir";
export { importRoots, resolveImportFolder } from "./import-roots";
export { importModel, type ImportModelOptions } from "./import-model";
export { importSae, type ImportSaeOptions, type ImportSaeResult } from "./import-sae";
export { removeDictionary, removeModel, type RemoveResult, type RemovedUnits } from "./remove";
export { importImageFolder, importTextJsonl, parseTextJsonl, imageFileToPng, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, type ImportDatasetOptions } from "./import-dataset";
export { CSV_COLUMNS, csvCell, csvRow, type AnnotationRecord, type PortableUser } from "./annotation-record";
export { exportAnnotations, annotationRecords, type AnnotationFormat } from "./export-annotations";
export { importAnnotations, parseAnnotationJsonl, IMPORTED_PASSWORD_HASH, type ImportAnnotationsResult } from "./import-annotations";
export { exportAtlas, type AtlasExportOptions, type AtlasFeatureRecord } from "./export-atlas";
export { isHfClipFolder, planHfClipImport, importHfClipModel, formatHookTable, discoverLayers, type ImportHfClipOptions, type HfClipPlan, type HookRow } from "./hf-clip";
