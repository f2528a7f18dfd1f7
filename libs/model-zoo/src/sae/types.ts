// Shapes of a trained sparse autoencoder (SAELens conventions: W_enc [d_in,d_sae], W_dec [d_sae,d_in]).
export type SaeArchitecture = "standard" | "topk";

export interface SaeWeights {
  architecture: SaeArchitecture;
  dIn: number;
  dSae: number;
  /** Active latents per row (topk only). */
  k?: number;
  W_enc: Float32Array;
  W_dec: Float32Array;
  b_enc: Float32Array;
  b_dec: Float32Array;
}

export interface SaeMetrics {
  /** Mean number of active latents per activation vector. */
  l0: number;
  /** 1 - Σ‖x - x̂‖² / Σ‖x - mean(x)‖². */
  explainedVariance: number;
  /** Share of latents that never fire on the evaluation set. */
  deadFraction: number;
  mse: number;
  evalRows: number;
}
