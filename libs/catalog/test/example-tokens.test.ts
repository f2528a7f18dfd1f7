// ModelTokenizers: a text's tokens under the model's own tokenizer, up to and including <eos>. The real CLIP
// tokenizer files (libs/inference/test/fixtures/clip-tokenizer, reference ids from transformers.js) and a word
// tokenizer; a model whose files are missing gives null once (reported), and a changed text tower is reloaded.
import path from "node:path";
import { ModelTokenizers } from "../src";

const CLIP_DIR = path.join(__dirname, "../../inference/test/fixtures/clip-tokenizer");
const hfText = {
  seqLen: 77,
  tokenizer: { type: "huggingface", file: "tokenizer.json", config: "tokenizer_config.json" },
};
const wordText = {
  seqLen: 4,
  tokenizer: {
    type: "word",
    vocab: ["<pad>", "<unk>", "<eos>", "red", "circle"],
    pad: "<pad>",
    unk: "<unk>",
    eos: "<eos>",
    lowercase: true,
  },
};
const modelRow = (id: string, directory: string, text: unknown) => ({
  id,
  name: id,
  directory,
  config: { text } as never,
});

it("gives CLIP's BPE tokens of a text: <|startoftext|>, its pieces, <|endoftext|>, and no padding", () => {
  const tokenizers = new ModelTokenizers();
  // reference ids [49406, 320, 1125, 539, 320, 736, 7117, 49407] (libs/inference/test/hf-tokenizer.test.ts)
  expect(tokenizers.tokensOf(modelRow("clip", CLIP_DIR, hfText), "A photo of a red circle")).toEqual([
    "<|startoftext|>",
    "a",
    "photo",
    "of",
    "a",
    "red",
    "circle",
    "<|endoftext|>",
  ]);
  const long = tokenizers.tokensOf(modelRow("clip", CLIP_DIR, hfText), "red ".repeat(100))!;
  expect(long).toHaveLength(77); // truncated CLIP-style, <|endoftext|> kept last
  expect(long.at(-1)).toBe("<|endoftext|>");
});

it("a word tokenizer's tokens are the text's words (unknown ones too), truncated to seqLen − 1, then <eos>", () => {
  const tokenizers = new ModelTokenizers();
  const model = modelRow("words", "/nonexistent", wordText);
  expect(tokenizers.tokensOf(model, "Red circle")).toEqual(["red", "circle", "<eos>"]);
  expect(tokenizers.tokensOf(model, "a big red circle")).toEqual(["a", "big", "red", "<eos>"]);
});

it("a model whose tokenizer files are missing gives null and is reported once; a model without texts gives null", () => {
  const errors: string[] = [];
  const tokenizers = new ModelTokenizers((model, message) => errors.push(`${model}: ${message}`));
  const broken = modelRow("gone", "/nonexistent/model", hfText);
  expect(tokenizers.tokensOf(broken, "a red circle")).toBeNull();
  expect(tokenizers.tokensOf(broken, "a blue square")).toBeNull();
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^gone: .*tokenizer\.json/);
  expect(tokenizers.tokensOf(modelRow("vision-only", CLIP_DIR, undefined), "a red circle")).toBeNull();
});

it("reloads a model's tokenizer when its text tower changes (a model registered again under the same id)", () => {
  const tokenizers = new ModelTokenizers();
  expect(tokenizers.tokensOf(modelRow("m", "/nonexistent", wordText), "red circle")).toEqual([
    "red",
    "circle",
    "<eos>",
  ]);
  expect(tokenizers.tokensOf(modelRow("m", CLIP_DIR, hfText), "red circle")).toEqual([
    "<|startoftext|>",
    "red",
    "circle",
    "<|endoftext|>",
  ]);
});
