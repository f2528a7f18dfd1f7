// Builds the tokenizer a text tower spec asks for (only "word" is built in).
import { InferenceError } from "../errors";
import type { TextTowerSpec, WordTokenizerSpec } from "../manifest/types";
import type { Tokenizer } from "./types";
import { WordTokenizer } from "./word-tokenizer";

export function createTokenizer(text: TextTowerSpec): Tokenizer {
  if (text.tokenizer.type === "word") return new WordTokenizer(text.tokenizer as WordTokenizerSpec, text.seqLen);
  throw new InferenceError("BAD_MANIFEST",
    `tokenizer type "${text.tokenizer.type}" is not built in; pass a Tokenizer implementation via the runner's "tokenizer" option`);
}
