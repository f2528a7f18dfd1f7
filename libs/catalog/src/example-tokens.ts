// The tokens a model's own tokenizer makes of a text example, up to and including <eos>: what a unit page pairs
// with a text row's per-token values (a CLIP BPE splits "a photo of a dog" into <|startoftext|>, a, photo, … ,
// <|endoftext|>; the built-in word tokenizer into words, then <eos>). One tokenizer per model, built from its stored
// manifest and folder and kept for the process; a model whose tokenizer files cannot be read gives null.
import type { Model } from "@mmatlas/db";
import { createTokenizer, readableTokens, type ModelManifest, type Tokenizer } from "@mmatlas/inference";
import { modelDirectory } from "./model-runtime";

interface Entry {
  /** the Model.config object the tokenizer was built from (row caches hand out the same object until they refresh) */
  config: unknown;
  /** what the tokenizer depends on: folder + text tower spec */
  fingerprint: string;
  tokenizer: Tokenizer | null;
}

type TokenModel = Pick<Model, "id" | "name" | "directory" | "config">;

const fingerprintOf = (model: TokenModel) =>
  JSON.stringify([model.directory, (model.config as unknown as ModelManifest | null)?.text ?? null]);

/** Per-model tokenizers of one process, rebuilt when a model's folder or text tower changes. */
export class ModelTokenizers {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly onError: (model: string, message: string) => void = () => {}) {}

  /** the model's tokenizer, or null when it has no text tower or its files cannot be loaded */
  of(model: TokenModel): Tokenizer | null {
    const had = this.entries.get(model.id);
    if (had && had.config === model.config) return had.tokenizer;
    const fingerprint = fingerprintOf(model);
    if (had && had.fingerprint === fingerprint) {
      had.config = model.config;
      return had.tokenizer;
    }
    const entry: Entry = { config: model.config, fingerprint, tokenizer: this.load(model) };
    this.entries.set(model.id, entry);
    return entry.tokenizer;
  }

  /**
   * The tokens of `text` up to and including <eos>, or null when the model has no usable tokenizer. A word
   * tokenizer's tokens are the text's words (an out-of-vocabulary word shows as itself, not as <unk>).
   */
  tokensOf(model: TokenModel, text: string): string[] | null {
    const tokenizer = this.of(model);
    if (!tokenizer) return null;
    return readableTokens(tokenizer.encode(text));
  }

  private load(model: TokenModel): Tokenizer | null {
    const text = (model.config as unknown as ModelManifest | null)?.text;
    if (!text?.tokenizer) return null;
    try {
      return createTokenizer(text, modelDirectory(model));
    } catch (e) {
      this.onError(model.name, (e as Error).message);
      return null;
    }
  }
}
