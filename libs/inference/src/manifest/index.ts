// Public surface of the model manifest.
export * from "./types";
export { validateManifest } from "./validate";
export { loadModelManifest, MANIFEST_FILENAME } from "./load";
