// The Tokenizer interface: the built-in word tokenizer implements it, and so can BPE tokenizers of real models.

export interface TokenizedText {
  /** Token ids, exactly seqLen long (padded / truncated). */
  ids: number[];
  /** Token strings matching ids. */
  tokens: string[];
  /** Index of the token the text embedding is pooled at (the <eos> position). */
  eosPosition: number;
}

export interface Tokenizer {
  readonly seqLen: number;
  readonly vocabSize: number;
  encode(text: string): TokenizedText;
  /** Token strings for ids (padding included). */
  idsToTokens(ids: ArrayLike<number>): string[];
}
