// Hugging Face tokenizers (tokenizer.json + tokenizer_config.json, e.g. CLIP's byte-level BPE) through the
// maintained pure-JS @huggingface/tokenizers, shaped like every mmatlas tokenizer: ids exactly seqLen long,
// truncated CLIP-style (the first seqLen − 1 ids, then <eos> kept last), right-padded with the pad token, and the
// <eos> position reported (HF CLIP pools at argmax(input_ids), which is that position).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Tokenizer as HfTokenizerImpl } from "@huggingface/tokenizers";
import { InferenceError } from "../errors";
import type { TokenizedText, Tokenizer } from "./types";

/** Manifest spec of a Hugging Face tokenizer; files are relative to the model folder. */
export interface HfTokenizerSpec {
  type: "huggingface";
  /** tokenizer.json */
  file: string;
  /** tokenizer_config.json (eos / pad tokens); optional */
  config?: string;
}

type Json = Record<string, unknown>;

function readJson(file: string): Json {
  if (!existsSync(file)) throw new InferenceError("BAD_MANIFEST", `tokenizer file ${file} does not exist`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Json;
  } catch (e) {
    throw new InferenceError("BAD_MANIFEST", `${file} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

const tokenContent = (t: unknown): string | undefined =>
  typeof t === "string" ? t : ((t as { content?: unknown } | null)?.content as string | undefined);

export class HfTokenizer implements Tokenizer {
  readonly seqLen: number;
  readonly vocabSize: number;
  private readonly impl: HfTokenizerImpl;
  private readonly eosId: number;
  private readonly padId: number;
  private readonly tokenText = new Map<number, string>();

  constructor(tokenizerJson: Json, tokenizerConfig: Json, seqLen: number) {
    if (!Number.isInteger(seqLen) || seqLen < 2)
      throw new InferenceError("BAD_MANIFEST", `tokenizer seqLen must be ≥ 2, got ${seqLen}`);
    this.seqLen = seqLen;
    try {
      this.impl = new HfTokenizerImpl(tokenizerJson, tokenizerConfig);
    } catch (e) {
      throw new InferenceError("BAD_MANIFEST", `tokenizer.json cannot be loaded: ${(e as Error).message}`, {
        cause: e,
      });
    }
    const model = tokenizerJson.model as { vocab?: Record<string, number> } | undefined;
    const added = (tokenizerJson.added_tokens ?? []) as { id: number; content: string }[];
    const idOf = (token: string | undefined, role: string): number => {
      const id =
        token === undefined ? undefined : (model?.vocab?.[token] ?? added.find((a) => a.content === token)?.id);
      if (id === undefined)
        throw new InferenceError(
          "BAD_MANIFEST",
          `tokenizer ${role} token ${JSON.stringify(token)} is not in the vocabulary`,
        );
      return id;
    };
    this.eosId = idOf(tokenContent(tokenizerConfig.eos_token) ?? "<|endoftext|>", "eos");
    this.padId = idOf(
      tokenContent(tokenizerConfig.pad_token) ?? tokenContent(tokenizerConfig.eos_token) ?? "<|endoftext|>",
      "pad",
    );
    this.vocabSize = Math.max(Object.keys(model?.vocab ?? {}).length, ...added.map((a) => a.id + 1));
  }

  encode(text: string): TokenizedText {
    if (typeof text !== "string") throw new InferenceError("BAD_INPUT", `text must be a string`);
    let ids = this.impl.encode(text).ids;
    if (ids.length > this.seqLen) ids = [...ids.slice(0, this.seqLen - 1), this.eosId];
    const eosPosition = ids.lastIndexOf(this.eosId);
    const padded = [...ids, ...new Array<number>(this.seqLen - ids.length).fill(this.padId)];
    return {
      ids: padded,
      tokens: this.idsToTokens(padded),
      eosPosition: eosPosition >= 0 ? eosPosition : ids.length - 1,
    };
  }

  /** Readable text of each id (byte-level pieces decoded, word-end markers dropped; special tokens kept). */
  idsToTokens(ids: ArrayLike<number>): string[] {
    return Array.from(ids, (id) => {
      let s = this.tokenText.get(id);
      if (s === undefined) {
        s = this.impl.decode([id], { skip_special_tokens: false, clean_up_tokenization_spaces: false }).trim();
        this.tokenText.set(id, s);
      }
      return s;
    });
  }
}

/** Loads the tokenizer files named by `spec` from the model folder `dir`. */
export function loadHfTokenizer(dir: string, spec: HfTokenizerSpec, seqLen: number): HfTokenizer {
  if (typeof spec.file !== "string")
    throw new InferenceError("BAD_MANIFEST", `text.tokenizer.file must name tokenizer.json`);
  const json = readJson(path.resolve(dir, spec.file));
  const config = spec.config ? readJson(path.resolve(dir, spec.config)) : {};
  return new HfTokenizer(json, config, seqLen);
}
