// Public surface of the model manifest.
export type {
  DimSpec,
  HookPointSpec,
  ImagePreprocessSpec,
  ImageTowerSpec,
  LoadedManifest,
  ModelManifest,
  OtherTokenizerSpec,
  SaeManifestEntry,
  TextTowerSpec,
  TokenizerSpec,
  Tower,
  WordTokenizerSpec,
} from "./types";
export { validateManifest } from "./validate";
export { loadModelManifest, MANIFEST_FILENAME } from "./load";
