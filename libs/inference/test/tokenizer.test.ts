// Word tokenizer golden values: lowercase, split on non-letters, <unk>, <eos>, padding, truncation.
import { WordTokenizer, InferenceError, readableTokens, type WordTokenizerSpec } from "../src";
import { createTokenizer } from "../src/tokenize";

const spec: WordTokenizerSpec = {
  type: "word",
  vocab: ["<pad>", "<unk>", "<eos>", "a", "red", "circle", "the", "word"],
  pad: "<pad>",
  unk: "<unk>",
  eos: "<eos>",
  lowercase: true,
};

describe("WordTokenizer", () => {
  const tok = new WordTokenizer(spec, 6);
  it("lowercases, splits on non-letters and appends <eos> then <pad>", () => {
    const t = tok.encode("A  red-CIRCLE!");
    expect(t.ids).toEqual([3, 4, 5, 2, 0, 0]);
    expect(t.tokens).toEqual(["a", "red", "circle", "<eos>", "<pad>", "<pad>"]);
    expect(t.eosPosition).toBe(3);
  });
  it("maps unknown words (and digits split away) to <unk>", () => {
    const t = tok.encode("the blue2word");
    expect(t.tokens).toEqual(["the", "<unk>", "word", "<eos>", "<pad>", "<pad>"]);
    // what each position stands for in the text, up to <eos>: the unknown word as split
    expect(t.pieces).toEqual(["the", "blue", "word", "<eos>"]);
    expect(readableTokens(t)).toEqual(["the", "blue", "word", "<eos>"]);
    expect(readableTokens({ ...t, pieces: undefined })).toEqual(["the", "<unk>", "word", "<eos>"]);
  });
  it("truncates keeping <eos> as the last token", () => {
    const t = tok.encode("a a a a a a a a");
    expect(t.ids).toEqual([3, 3, 3, 3, 3, 2]);
    expect(t.eosPosition).toBe(5);
  });
  it("empty text is just <eos>", () => {
    expect(tok.encode("  ...").ids).toEqual([2, 0, 0, 0, 0, 0]);
  });
  it("respects lowercase=false", () => {
    const t = new WordTokenizer({ ...spec, lowercase: false }, 4).encode("Red red");
    expect(t.tokens).toEqual(["<unk>", "red", "<eos>", "<pad>"]);
  });
  it("refuses specs whose special tokens are not in the vocabulary, and unknown tokenizer types", () => {
    expect(() => new WordTokenizer({ ...spec, eos: "</s>" }, 4)).toThrow(InferenceError);
    expect(() =>
      createTokenizer({ onnx: "t.onnx", input: "t", output: "o", seqLen: 4, tokenizer: { type: "bpe" } }),
    ).toThrow(/Tokenizer implementation/);
  });
});
