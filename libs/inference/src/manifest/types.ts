// The model manifest contract (docs/architecture.md): towers, preprocessing, tokenizer, hook points and SAEs.

/** A dimension in a hook shape: a fixed size, or a symbolic name ("batch" must equal the batch size). */
export type DimSpec = number | string;

export interface ImagePreprocessSpec {
  /** Square input side in pixels (images are resized to size×size). */
  size: number;
  layout: "NCHW" | "NHWC";
  /** Per-channel mean/std applied to pixel values scaled to [0,1]. */
  mean: [number, number, number];
  std: [number, number, number];
  /**
   * Geometry: "stretch" (default) resizes to size×size (bilinear); "clip" is CLIPImageProcessor's: resize the
   * shortest edge to `shortestEdge` (bicubic, Pillow-exact), then center crop size×size.
   */
  resize?: "stretch" | "clip";
  /** Shortest edge after the "clip" resize (≥ size; default size). */
  shortestEdge?: number;
}

export interface ImageTowerSpec {
  onnx: string;
  input: string;
  output: string;
  preprocess: ImagePreprocessSpec;
  patchSize?: number;
  gridSize?: number;
  seqLen?: number;
}

export interface WordTokenizerSpec {
  type: "word";
  vocab: string[];
  pad: string;
  unk: string;
  eos: string;
  lowercase: boolean;
}

/** Any other tokenizer type must be supplied by the caller as a `Tokenizer` implementation. */
export interface OtherTokenizerSpec {
  type: string;
  [key: string]: unknown;
}

export type TokenizerSpec = WordTokenizerSpec | OtherTokenizerSpec;

export interface TextTowerSpec {
  onnx: string;
  input: string;
  output: string;
  seqLen: number;
  tokenizer: TokenizerSpec;
  /** Optional second graph input receiving the <eos> position of each row (int64 [batch]). */
  eosInput?: string;
}

export type Tower = "VISION" | "TEXT";

export interface HookPointSpec {
  /** TransformerLens-style name, e.g. "vision.blocks.0.hook_resid_post". */
  name: string;
  tower: Tower;
  layer: number;
  /** e.g. "RESID", "MLP_POST", "ATTN_PATTERN". */
  kind: string;
  /** Tensor name inside the tower's ONNX graph. */
  tensor: string;
  /** Size of the unit axis (last dim for RESID/MLP, heads for ATTN_PATTERN). */
  width: number;
  /** Expected shape; the first dim must be "batch". */
  shape: DimSpec[];
}

export interface SaeManifestEntry {
  name: string;
  /** Folder (relative to the manifest) holding cfg.json + sae_weights.safetensors. */
  path: string;
  /** Hook point the SAE reads; defaults to cfg.json metadata.hook_name. */
  hookPoint?: string;
}

export interface ModelManifest {
  name: string;
  displayName: string;
  architecture: string;
  modality: "IMAGE_TEXT" | "IMAGE" | "TEXT";
  embedDim: number;
  logitScale?: number;
  image?: ImageTowerSpec;
  text?: TextTowerSpec;
  hookPoints: HookPointSpec[];
  saes: SaeManifestEntry[];
}

/** A manifest together with the folder its relative paths resolve against. */
export interface LoadedManifest {
  dir: string;
  manifest: ModelManifest;
}
