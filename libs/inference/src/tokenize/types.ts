// The Tokenizer interface: the built-in word tokenizer implements it, and so can BPE tokenizers of real models.

export interface TokenizedText {
  /** Token ids, exactly seqLen long (padded / truncated). */
  ids: number[];
  /** Token strings matching ids. */
  tokens: string[];
  /** Index of the token the text embedding is pooled at (the <eos> position). */
  eosPosition: number;
  /**
   * What each position up to and including <eos> stands for in the text, where `tokens` do not say it: a word
   * tokenizer's words as split (an out-of-vocabulary word is itself here, `<unk>` in tokens). Absent when `tokens`
   * are already readable (Hugging Face tokenizers decode each piece).
   */
  pieces?: string[];
}

/** The readable text of each position up to and including <eos>: `pieces` where given, else `tokens`. */
export function readableTokens(encoded: TokenizedText): string[] {
  return (encoded.pieces ?? encoded.tokens).slice(0, encoded.eosPosition + 1);
}

export interface Tokenizer {
  readonly seqLen: number;
  readonly vocabSize: number;
  encode(text: string): TokenizedText;
  /** Token strings for ids (padding included). */
  idsToTokens(ids: ArrayLike<number>): string[];
}
