// Architecture constants of the built-in CLIP-shapes model (both towers share width/depth/heads).
import { TEXT_SEQ_LEN, TOKEN_VOCAB } from "../shapes/vocabulary";

export interface ClipShapesConfig {
  imageSize: number;
  channels: number;
  patchSize: number;
  /** Patches per side; the vision sequence is gridSize² patches + 1 CLS token. */
  gridSize: number;
  width: number;
  layers: number;
  heads: number;
  mlpWidth: number;
  embedDim: number;
  vocabSize: number;
  textSeqLen: number;
  lnEps: number;
  /** Per-channel normalization applied to [0,1] pixels before patchify (inside the ONNX graph too). */
  mean: [number, number, number];
  std: [number, number, number];
}

export const CLIP_SHAPES_CONFIG: ClipShapesConfig = {
  imageSize: 32,
  channels: 3,
  patchSize: 8,
  gridSize: 4,
  width: 64,
  layers: 2,
  heads: 4,
  mlpWidth: 256,
  embedDim: 64,
  vocabSize: TOKEN_VOCAB.length,
  textSeqLen: TEXT_SEQ_LEN,
  lnEps: 1e-5,
  mean: [0.5, 0.5, 0.5],
  std: [0.25, 0.25, 0.25],
};

export const visionSeqLen = (c: ClipShapesConfig) => c.gridSize * c.gridSize + 1;
export const patchDim = (c: ClipShapesConfig) => c.patchSize * c.patchSize * c.channels;
export const headDim = (c: ClipShapesConfig) => c.width / c.heads;
