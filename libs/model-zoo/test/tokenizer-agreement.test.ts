// Training (model-zoo tokenizeWords) and inference (@mmatlas/inference WordTokenizer built from the committed
// manifest) tokenize every text identically: one shared word-splitting rule (lowercase, split on non-letters).
import { loadModelManifest, splitWords, WordTokenizer, type WordTokenizerSpec } from "@mmatlas/inference";
import { builtinModelDir, generateCaptionCorpus } from "../src";
import { TEXT_SEQ_LEN } from "../src/shapes/vocabulary";
import { tokenizeWords } from "../src/shapes/tokenize";

const { manifest } = loadModelManifest(builtinModelDir());
const runtime = new WordTokenizer(manifest.text!.tokenizer as WordTokenizerSpec, manifest.text!.seqLen);

test("splitWords golden values", () => {
  expect(splitWords("A small RED circle, on the left!")).toEqual(["a", "small", "red", "circle", "on", "the", "left"]);
  expect(splitWords("red-circle\tblue\nsquare  ")).toEqual(["red", "circle", "blue", "square"]);
  expect(splitWords("3 red 4u")).toEqual(["red", "u"]);
  expect(splitWords("Émigré RED", false)).toEqual(["Émigré", "RED"]);
  expect(splitWords(" ,;. ")).toEqual([]);
});

test("tokenizeWords (training) equals WordTokenizer (inference) on tricky inputs", () => {
  const tricky = [
    "A Red circle",
    "the word blue.",
    "red,circle",
    "a red-circle on the left!",
    "  Large\tGREEN\nsquare ",
    "",
    "...",
    "123 red",
    "a zebra",
    "a small red circle on the left and a blue square",
  ];
  for (const t of tricky) expect({ t, ids: tokenizeWords(t) }).toEqual({ t, ids: runtime.encode(t).ids });
});

test("tokenizeWords equals WordTokenizer on 500 generated captions, and the manifest matches the model-zoo vocabulary", () => {
  expect(manifest.text!.seqLen).toBe(TEXT_SEQ_LEN);
  for (const c of generateCaptionCorpus({ seed: 3, count: 500 }))
    expect(tokenizeWords(c.text)).toEqual(runtime.encode(c.text).ids);
});

test("golden ids of the built-in vocabulary", () => {
  // vocab: <pad>=0 <unk>=1 <eos>=2 a=3 the=4 word=5 … small=16 red=18 blue=20 circle=24
  expect(runtime.encode("A small red circle.").ids).toEqual([3, 16, 18, 24, 2, 0, 0, 0]);
  expect(tokenizeWords("the word, BLUE!")).toEqual([4, 5, 20, 2, 0, 0, 0, 0]);
  expect(tokenizeWords("a zebra")).toEqual([3, 1, 2, 0, 0, 0, 0, 0]);
});
