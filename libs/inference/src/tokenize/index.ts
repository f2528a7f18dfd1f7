// Public surface of tokenization.
export { readableTokens, type Tokenizer, type TokenizedText } from "./types";
export { WordTokenizer, splitWords } from "./word-tokenizer";
export { createTokenizer } from "./create";
export { HfTokenizer, loadHfTokenizer, type HfTokenizerSpec } from "./hf-tokenizer";
