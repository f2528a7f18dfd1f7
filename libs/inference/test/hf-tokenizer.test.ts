// The real CLIP tokenizer files (openai/clip-vit-base-patch32, copied unchanged from shared/fixtures) through
// HfTokenizer: the reference ids computed independently with transformers.js, CLIP-style padding and truncation
// (eos kept at position seqLen − 1), pooling position = HF's argmax(input_ids), case and Unicode normalization,
// readable token strings, and the manifest route (type "huggingface", files relative to the model folder).
import path from "node:path";
import { InferenceError, loadHfTokenizer, type TextTowerSpec } from "../src";
import { createTokenizer } from "../src/tokenize";

const DIR = path.join(__dirname, "fixtures", "clip-tokenizer");
const spec = { type: "huggingface" as const, file: "tokenizer.json", config: "tokenizer_config.json" };
const clip = loadHfTokenizer(DIR, spec, 77);
const BOS = 49406,
  EOS = 49407;

/** HF CLIPTextModel pools at input_ids.argmax(-1): the first occurrence of the largest id. */
const argmax = (ids: number[]) => ids.indexOf(Math.max(...ids));

it("gives the reference ids (transformers.js on the same files), padded to 77 with <|endoftext|>", () => {
  const refs: [string, number[]][] = [
    ["a photo of a red circle", [49406, 320, 1125, 539, 320, 736, 7117, 49407]],
    ["A Blue   SQUARE on a grey background!", [49406, 320, 1746, 3999, 525, 320, 5046, 5994, 256, 49407]],
    ["it's a drawing of 2 shapes 🙂", [49406, 585, 568, 320, 3610, 539, 273, 15377, 14860, 49407]],
  ];
  for (const [text, ref] of refs) {
    const t = clip.encode(text);
    expect(t.ids).toHaveLength(77);
    expect(t.ids.slice(0, ref.length)).toEqual(ref);
    expect(t.ids.slice(ref.length).every((id) => id === EOS)).toBe(true);
    expect(t.eosPosition).toBe(ref.length - 1);
    expect(argmax(t.ids)).toBe(t.eosPosition);
  }
  expect(clip.vocabSize).toBe(49408);
});

it("lowercases and NFC-normalizes: case and composed/decomposed accents give the same ids", () => {
  expect(clip.encode("A RED Circle").ids).toEqual(clip.encode("a red circle").ids);
  expect(clip.encode("Cafe\u0301 nai\u0308ve").ids).toEqual(clip.encode("Café naïve").ids);
  expect(clip.encode("Café").ids.slice(0, 3)).not.toEqual(clip.encode("Cafe").ids.slice(0, 3));
});

it("truncates long text CLIP-style: the first 76 ids, then <|endoftext|> kept last", () => {
  const long = Array.from({ length: 120 }, (_, i) => `shape${i}`).join(" ");
  const t = clip.encode(long);
  expect(t.ids).toHaveLength(77);
  expect(t.ids[0]).toBe(BOS);
  expect(t.ids[76]).toBe(EOS);
  expect(t.eosPosition).toBe(76);
  expect(argmax(t.ids)).toBe(76);
  const prefix = clip.encode(Array.from({ length: 20 }, (_, i) => `shape${i}`).join(" "));
  expect(t.ids.slice(0, prefix.eosPosition)).toEqual(prefix.ids.slice(0, prefix.eosPosition)); // same leading tokens
});

it("shows readable token strings (byte-level pieces decoded)", () => {
  const t = clip.encode("it's a drawing of 2 shapes 🙂");
  expect(t.tokens.slice(0, t.eosPosition + 1)).toEqual([
    "<|startoftext|>",
    "it",
    "'s",
    "a",
    "drawing",
    "of",
    "2",
    "shapes",
    "🙂",
    "<|endoftext|>",
  ]);
});

it("is chosen by a manifest text tower of type huggingface, with files relative to the model folder", () => {
  const text = {
    onnx: "text.onnx",
    input: "input_ids",
    output: "text_embeds",
    seqLen: 77,
    tokenizer: spec,
  } as unknown as TextTowerSpec;
  expect(createTokenizer(text, DIR).encode("a photo of a red circle").ids.slice(0, 8)).toEqual([
    49406, 320, 1125, 539, 320, 736, 7117, 49407,
  ]);
  expect(() => createTokenizer(text)).toThrow(InferenceError);
  expect(() => loadHfTokenizer("/nonexistent", spec, 77)).toThrow(/does not exist/);
});
