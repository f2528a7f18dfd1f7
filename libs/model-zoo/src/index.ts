// @mmatlas/model-zoo: the shapes world (generated, labelled images + captions) and the built-in CLIP-shapes
// model trained on it (ONNX towers, weights, SAEs committed under assets/clip-shapes).
export { generateShapesWorld, generateExample, renderScene, trainingCaption } from "./shapes/generate";
export type { ShapesExample, ShapesWorldOptions } from "./shapes/generate";
export { CAPTION_GRAMMAR, canonicalCaption, sampleCaption, captionMatches, generateCaptionCorpus } from "./shapes/captions";
export type { Caption, TextExample } from "./shapes/captions";
export { randomScene, sceneTags, DEFAULT_KIND_WEIGHTS } from "./shapes/scene";
export type { Scene, SceneKind, SceneObject, KindWeights } from "./shapes/scene";
export {
  COLORS, SHAPES, SIZES, POSITIONS, WORDS, COLOR_RGB, INK_RGB, POSITION_PHRASE, CONCEPTS, conceptsOf,
  TOKEN_VOCAB, TEXT_SEQ_LEN, PAD, UNK, EOS, TYPOGRAPHIC_TAG,
} from "./shapes/vocabulary";
export type { Concept, ConceptFamily, Color, Shape, Size, Position, Word } from "./shapes/vocabulary";
export { tokenizeWords } from "./shapes/tokenize";
export { encodePng, decodePngRgb } from "./shapes/png";
export { IMAGE_SIZE } from "./shapes/render";
export { builtinModelDir, builtinManifestPath } from "./paths";
export { CLIP_SHAPES_CONFIG } from "./model/config";
export type { ClipShapesConfig } from "./model/config";
export { MODEL_NAME } from "./export/manifest";
export { readSaeFolder } from "./sae/saelens-format";
export { renderSceneLayers, sceneConceptMasks, exampleConceptMasks } from "./shapes/concept-masks";
export type { RenderedLayers, ConceptMask } from "./shapes/concept-masks";
export { sceneProbeLabels, probeLabelVectors, PROBE_FAMILIES, PROBE_CLASSES } from "./shapes/probe-labels";
export type { ProbeFamilyName } from "./shapes/probe-labels";
