// @mmatlas/model-zoo: the shapes world (generated, labelled images + captions) and the built-in CLIP-shapes
// model trained on it (ONNX towers, weights, SAEs committed under assets/clip-shapes).
export { generateShapesWorld, generateExample, renderScene } from "./shapes/generate";
export type { ShapesExample, ShapesWorldOptions } from "./shapes/generate";
export { generateCaptionCorpus } from "./shapes/captions";
export type { Caption, TextExample } from "./shapes/captions";
export type { Scene, SceneKind, SceneObject, KindWeights } from "./shapes/scene";
export { COLORS, SHAPES, SIZES, POSITIONS, WORDS, CONCEPTS } from "./shapes/vocabulary";
export type { Concept, ConceptFamily, Color, Shape, Size, Position, Word } from "./shapes/vocabulary";
export { encodePng } from "./shapes/png";
export { IMAGE_SIZE } from "./shapes/render";
export { exampleConceptMasks } from "./shapes/concept-masks";
export { builtinModelDir, builtinManifestPath } from "./paths";
export { MODEL_NAME } from "./export/manifest";
export { FeatureVisualizer } from "./feature-vis/visualizer";
export { FEATURE_VIS_VERSION, DEFAULT_FEATURE_VIS_OPTIONS } from "./feature-vis/optimize";
export type { FeatureVisOptions, FeatureVisResult } from "./feature-vis/optimize";
export type { VisTarget } from "./feature-vis/unit-objective";
