// Shapes world: determinism, tags agree with pixels and captions, PNG round trip, caption grammar fits the tokenizer.
import { COLORS, generateCaptionCorpus, generateShapesWorld } from "../src";
import { COLOR_RGB, TOKEN_VOCAB, TEXT_SEQ_LEN } from "../src/shapes/vocabulary";
import { captionMatches, sampleCaption } from "../src/shapes/captions";
import { decodePngRgb } from "../src/shapes/png";
import { tokenizeWords } from "../src/shapes/tokenize";
import { trainingCaption } from "../src/shapes/generate";
import { insideShape } from "../src/shapes/render";
import { createRng } from "../src/shapes/rng";

const UNK_ID = TOKEN_VOCAB.indexOf("<unk>");

describe("generateShapesWorld", () => {
  it("is byte-identical for the same seed and differs for another seed", () => {
    const a = generateShapesWorld({ seed: 5, count: 40, png: true });
    const b = generateShapesWorld({ seed: 5, count: 40, png: true });
    const c = generateShapesWorld({ seed: 6, count: 40 });
    expect(a.map((e) => e.caption)).toEqual(b.map((e) => e.caption));
    expect(a.map((e) => e.tags)).toEqual(b.map((e) => e.tags));
    expect(Buffer.concat(a.map((e) => e.png!)).equals(Buffer.concat(b.map((e) => e.png!)))).toBe(true);
    expect(
      Buffer.concat(a.map((e) => Buffer.from(e.pixels))).equals(Buffer.concat(c.map((e) => Buffer.from(e.pixels)))),
    ).toBe(false);
  });

  it("gives example i the same content regardless of offset/count", () => {
    const whole = generateShapesWorld({ seed: 9, count: 20 });
    const tail = generateShapesWorld({ seed: 9, count: 5, offset: 15 });
    expect(Buffer.from(tail[0].pixels).equals(Buffer.from(whole[15].pixels))).toBe(true);
    expect(tail[4].caption).toBe(whole[19].caption);
  });

  it("paints each single object in its tagged color inside its shape region", () => {
    const ex = generateShapesWorld({ seed: 3, count: 300 }).filter((e) => e.scene.kind === "object");
    expect(ex.length).toBeGreaterThan(100);
    for (const e of ex) {
      const o = e.scene.objects[0];
      const sum = [0, 0, 0];
      let n = 0;
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++) {
          if (!insideShape(o.shape, x + 0.5 - o.cx, y + 0.5 - o.cy, o.r)) continue;
          for (let ch = 0; ch < 3; ch++) sum[ch] += e.pixels[3 * (y * 32 + x) + ch];
          n++;
        }
      expect(n).toBeGreaterThan(10);
      const mean = sum.map((s) => s / n);
      const nearest = COLORS.reduce((best, col) => {
        const d = (k: typeof col) => COLOR_RGB[k].reduce((s, v, ch) => s + (v - mean[ch]) ** 2, 0);
        return d(col) < d(best) ? col : best;
      }, COLORS[0]);
      expect(`color:${nearest}`).toBe(e.tags.find((t) => t.startsWith("color:")));
      expect(e.caption).toContain(`${o.color} ${o.shape}`);
      expect(e.tags).toEqual(expect.arrayContaining([`shape:${o.shape}`, `size:${o.size}`, `position:${o.position}`]));
    }
  });

  it("draws white word ink on typographic images and tags the word", () => {
    const ex = generateShapesWorld({ seed: 4, count: 200 }).filter((e) => e.scene.word);
    expect(ex.length).toBeGreaterThan(20);
    for (const e of ex) {
      let white = 0;
      for (let i = 0; i < 32 * 32; i++)
        if (e.pixels[3 * i] === 245 && e.pixels[3 * i + 1] === 245 && e.pixels[3 * i + 2] === 245) white++;
      expect(white).toBeGreaterThan(15);
      expect(e.tags).toEqual(expect.arrayContaining(["typographic", `word:${e.scene.word}`]));
      expect(e.caption.startsWith(`the word ${e.scene.word}`)).toBe(true);
    }
  });

  it("PNG decodes back to the same pixels", () => {
    for (const e of generateShapesWorld({ seed: 8, count: 5, png: true })) {
      const d = decodePngRgb(e.png!);
      expect([d.width, d.height]).toEqual([32, 32]);
      expect(Buffer.from(d.rgb).equals(Buffer.from(e.pixels))).toBe(true);
    }
  });
});

describe("captions", () => {
  it("fit the tokenizer (≤ 7 known words) and only mention true tags", () => {
    const ex = generateShapesWorld({ seed: 11, count: 300 });
    for (const e of ex) {
      for (const cap of [
        { text: e.caption, tags: [] as string[] },
        trainingCaption(e, 1),
        sampleCaption(e.scene, createRng(e.index)),
      ]) {
        expect(cap.text.split(" ").length).toBeLessThanOrEqual(TEXT_SEQ_LEN - 1);
        expect(tokenizeWords(cap.text)).not.toContain(UNK_ID);
        expect(captionMatches(cap.tags, e.tags)).toBe(true);
      }
    }
  });

  it("captionMatches is a subset test", () => {
    expect(captionMatches(["color:red"], ["color:red", "shape:circle"])).toBe(true);
    expect(captionMatches(["color:red", "shape:square"], ["color:red", "shape:circle"])).toBe(false);
    expect(captionMatches([], ["shape:circle"])).toBe(true);
  });

  it("tokenizes with <eos> then right padding", () => {
    const v = (w: string) => TOKEN_VOCAB.indexOf(w);
    expect(tokenizeWords("A Red circle")).toEqual([
      v("a"),
      v("red"),
      v("circle"),
      v("<eos>"),
      v("<pad>"),
      v("<pad>"),
      v("<pad>"),
      v("<pad>"),
    ]);
    expect(tokenizeWords("a zebra")[1]).toBe(UNK_ID);
  });

  it("text corpus is deterministic and tagged", () => {
    const a = generateCaptionCorpus({ seed: 2, count: 50 });
    expect(a).toEqual(generateCaptionCorpus({ seed: 2, count: 50 }));
    expect(a.every((t) => t.tags.length > 0 && t.text.length > 0)).toBe(true);
  });
});
