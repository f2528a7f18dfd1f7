// The built-in word tokenizer: lowercase, split on non-letters, unknown → <unk>, append <eos>, right-pad with <pad>.
import { InferenceError } from "../errors";
import type { WordTokenizerSpec } from "../manifest/types";
import type { TokenizedText, Tokenizer } from "./types";

const NON_LETTERS = /[^\p{L}]+/u;

/**
 * The one word-splitting rule of word-level tokenizers (the built-in model trains and runs with it): optionally
 * lowercase, then split on every run of non-letters (spaces, punctuation, digits), dropping empty pieces.
 */
export function splitWords(text: string, lowercase = true): string[] {
  return (lowercase ? text.toLowerCase() : text).split(NON_LETTERS).filter((w) => w.length > 0);
}

export class WordTokenizer implements Tokenizer {
  readonly seqLen: number;
  private readonly spec: WordTokenizerSpec;
  private readonly ids = new Map<string, number>();
  private readonly padId: number;
  private readonly unkId: number;
  private readonly eosId: number;

  constructor(spec: WordTokenizerSpec, seqLen: number) {
    if (!Number.isInteger(seqLen) || seqLen < 1)
      throw new InferenceError("BAD_MANIFEST", `tokenizer seqLen must be ≥ 1, got ${seqLen}`);
    this.spec = spec;
    this.seqLen = seqLen;
    spec.vocab.forEach((w, i) => {
      if (!this.ids.has(w)) this.ids.set(w, i);
    });
    const id = (w: string, role: string) => {
      const i = this.ids.get(w);
      if (i === undefined)
        throw new InferenceError("BAD_MANIFEST", `tokenizer ${role} token "${w}" is not in the vocabulary`);
      return i;
    };
    this.padId = id(spec.pad, "pad");
    this.unkId = id(spec.unk, "unk");
    this.eosId = id(spec.eos, "eos");
  }

  get vocabSize(): number {
    return this.spec.vocab.length;
  }

  /** Words of a text as the tokenizer sees them (before vocabulary lookup). */
  words(text: string): string[] {
    return splitWords(text, this.spec.lowercase);
  }

  encode(text: string): TokenizedText {
    if (typeof text !== "string") throw new InferenceError("BAD_INPUT", `text must be a string, got ${typeof text}`);
    const words = this.words(text).slice(0, this.seqLen - 1); // truncate, keeping room for <eos>
    const ids = words.map((w) => this.ids.get(w) ?? this.unkId);
    const eosPosition = ids.length;
    ids.push(this.eosId);
    while (ids.length < this.seqLen) ids.push(this.padId);
    return { ids, tokens: this.idsToTokens(ids), eosPosition, pieces: [...words, this.spec.eos] };
  }

  idsToTokens(ids: ArrayLike<number>): string[] {
    return Array.from(ids, (i) => this.spec.vocab[i] ?? this.spec.unk);
  }
}
