// Builds the tokenizer a text tower spec asks for: the built-in word tokenizer, or a Hugging Face tokenizer.json
// (files relative to the model folder `dir`).
import { InferenceError } from "../errors";
import type { TextTowerSpec, WordTokenizerSpec } from "../manifest/types";
import { loadHfTokenizer, type HfTokenizerSpec } from "./hf-tokenizer";
import type { Tokenizer } from "./types";
import { WordTokenizer } from "./word-tokenizer";

export function createTokenizer(text: TextTowerSpec, dir?: string): Tokenizer {
  if (text.tokenizer.type === "word") return new WordTokenizer(text.tokenizer as WordTokenizerSpec, text.seqLen);
  if (text.tokenizer.type === "huggingface") {
    if (!dir)
      throw new InferenceError("BAD_MANIFEST", `a "huggingface" tokenizer needs the model folder to read its files`);
    return loadHfTokenizer(dir, text.tokenizer as unknown as HfTokenizerSpec, text.seqLen);
  }
  throw new InferenceError(
    "BAD_MANIFEST",
    `tokenizer type "${text.tokenizer.type}" is not built in ("word", "huggingface"); pass a Tokenizer implementation via the runner's "tokenizer" option`,
  );
}
