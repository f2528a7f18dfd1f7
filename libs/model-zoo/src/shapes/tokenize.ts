// Word-level tokenizer of the built-in model: lowercase, split on non-letters (the shared rule of
// @mmatlas/inference's WordTokenizer, so training and inference see the same tokens), append <eos>, pad.
import { splitWords } from "@mmatlas/inference";
import { EOS, PAD, TEXT_SEQ_LEN, TOKEN_VOCAB, UNK } from "./vocabulary";

const INDEX = new Map(TOKEN_VOCAB.map((w, i) => [w, i]));
export const PAD_ID = INDEX.get(PAD)!;
export const UNK_ID = INDEX.get(UNK)!;
export const EOS_ID = INDEX.get(EOS)!;

/** Token ids for one text: words (truncated to seqLen-1), <eos>, then <pad> up to seqLen. */
export function tokenizeWords(text: string, seqLen = TEXT_SEQ_LEN): number[] {
  const words = splitWords(text, true).slice(0, seqLen - 1);
  const ids = words.map((w) => INDEX.get(w) ?? UNK_ID);
  ids.push(EOS_ID);
  while (ids.length < seqLen) ids.push(PAD_ID);
  return ids;
}
