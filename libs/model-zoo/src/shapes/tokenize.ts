// Word-level tokenizer of the built-in model: lowercase, split on spaces, append <eos>, right-pad with <pad>.
import { EOS, PAD, TEXT_SEQ_LEN, TOKEN_VOCAB, UNK } from "./vocabulary";

const INDEX = new Map(TOKEN_VOCAB.map((w, i) => [w, i]));
export const PAD_ID = INDEX.get(PAD)!;
export const UNK_ID = INDEX.get(UNK)!;
export const EOS_ID = INDEX.get(EOS)!;

/** Token ids for one text: words (truncated to seqLen-1), <eos>, then <pad> up to seqLen. */
export function tokenizeWords(text: string, seqLen = TEXT_SEQ_LEN): number[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean).slice(0, seqLen - 1);
  const ids = words.map((w) => INDEX.get(w) ?? UNK_ID);
  ids.push(EOS_ID);
  while (ids.length < seqLen) ids.push(PAD_ID);
  return ids;
}
