// Probing's pure parts against hand-computed values: concept-family labels from example tags (single values,
// ambiguity, multi-object scenes, ImageFolder classes), skip reasons, and pooling (read-out position / mean over
// valid positions).
import { familyLabelsOfTags, familyValue, probeableFamilies, tagValuesByFamily } from "../src/probing/family-labels";
import { poolFeatures, poolModeOfHook } from "../src/probing/pool-features";
import { towerOfRow } from "../src/probing/probe-model";

describe("familyLabelsOfTags", () => {
  it("labels single-object examples per family and leaves out pairs, ambiguity and missing values", () => {
    const tags = [
      ["color:red", "count:1", "position:left", "shape:circle", "size:small"],
      ["color:blue", "count:1", "position:center", "shape:square", "size:large", "typographic", "word:red"],
      // a pair: two colours, two positions; its shared shape and size still do not stand for one object
      ["color:green", "color:red", "count:2", "position:left", "position:right", "shape:circle", "size:small"],
      ["typographic", "word:blue"],
      // a caption of one object (no count tag) mentioning colour and shape only
      ["color:red", "shape:square"],
    ];
    const families = familyLabelsOfTags(tags);
    expect(families.map((f) => f.name)).toEqual(["color", "shape", "size", "position", "word"]);
    const byName = Object.fromEntries(families.map((f) => [f.name, f]));
    expect(byName.color.classes).toEqual(["blue", "red"]);
    expect([...byName.color.labels]).toEqual([1, 0, -1, -1, 1]);
    expect(byName.color.labelled).toBe(3);
    expect(byName.shape.classes).toEqual(["circle", "square"]);
    expect([...byName.shape.labels]).toEqual([0, 1, -1, -1, 1]);
    expect([...byName.size.labels]).toEqual([1, 0, -1, -1, -1]);
    expect(byName.size.classes).toEqual(["large", "small"]);
    expect([...byName.position.labels]).toEqual([1, 0, -1, -1, -1]);
    expect(byName.word.classes).toEqual(["blue", "red"]);
    expect([...byName.word.labels]).toEqual([-1, 1, -1, 0, -1]);
  });

  it("reads ImageFolder classes and ignores tags that are not family:value", () => {
    const families = familyLabelsOfTags([["class:cat"], ["class:dog"], [], ["class:cat", "misc"], ["class:"]]);
    expect(families).toHaveLength(1);
    expect(families[0].name).toBe("class");
    expect(families[0].classes).toEqual(["cat", "dog"]);
    expect([...families[0].labels]).toEqual([0, 1, -1, 0, -1]);
  });

  it("an example with two values of a family is left out of it", () => {
    const byFamily = tagValuesByFamily(["word:red", "word:blue", "class:x"]);
    expect(familyValue(byFamily, "word")).toBeNull();
    expect(familyValue(byFamily, "class")).toBe("x");
    expect(familyValue(byFamily, "color")).toBeNull();
  });
});

describe("probeableFamilies", () => {
  it("skips one-class families and families with too few labelled examples, with a typed reason", () => {
    const families = [
      { name: "color", classes: ["red"], labels: Int32Array.from([0, 0, 0]), labelled: 3 },
      { name: "shape", classes: ["a", "b", "c"], labels: Int32Array.from([0, 1, 2, 0, 1]), labelled: 5 },
      { name: "class", classes: ["x", "y"], labels: Int32Array.from([0, 1, 0, 1, 0, 1]), labelled: 6 },
    ];
    const out = probeableFamilies("VISION", families, 6);
    expect(out.families.map((f) => f.name)).toEqual(["class"]);
    expect(out.skipped.map((s) => [s.family, s.reason, s.labelled, s.classes])).toEqual([
      ["color", "ONE_CLASS", 3, 1],
      ["shape", "TOO_FEW_EXAMPLES", 5, 3],
    ]);
    // with a lower minimum, 3 classes still need 2 examples each
    expect(probeableFamilies("TEXT", families, 1).skipped.map((s) => s.family)).toEqual(["color", "shape"]);
  });
});

describe("pooling", () => {
  // 2 examples × 3 positions × 2 channels
  const data = Float32Array.from([1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60]);
  it("reads the read-out position of each example", () => {
    const { features, width } = poolFeatures(data, [2, 3, 2], "readout", [0, 2]);
    expect(width).toBe(2);
    expect([...features]).toEqual([1, 2, 50, 60]);
  });
  it("averages over valid positions (all by default)", () => {
    expect([...poolFeatures(data, [2, 3, 2], "mean", [0, 0]).features]).toEqual([3, 4, 30, 40]);
    // example 0: first 2 positions ((1+3)/2, (2+4)/2); example 1: first position only
    expect([...poolFeatures(data, [2, 3, 2], "mean", [0, 0], [2, 1]).features]).toEqual([2, 3, 10, 20]);
  });
  it("passes already pooled [n × width] through and rejects positions outside the sequence", () => {
    const flat = Float32Array.from([1, 2, 3, 4]);
    expect(poolFeatures(flat, [2, 2], "readout", [0, 0]).features).toBe(flat);
    expect(() => poolFeatures(data, [2, 3, 2], "readout", [0, 3])).toThrow(/outside/);
  });
  it("pools residual hooks at the read-out, MLP hooks by mean, and skips attention patterns", () => {
    expect(poolModeOfHook("RESID")).toBe("readout");
    expect(poolModeOfHook("MLP_POST")).toBe("mean");
    expect(poolModeOfHook("MLP")).toBe("mean");
    expect(poolModeOfHook("ATTN_PATTERN")).toBeNull();
  });
  it("sends images to the vision tower and text-only rows to the text tower", () => {
    expect(towerOfRow({ image: new Uint8Array(1), text: "a red circle" })).toBe("VISION");
    expect(towerOfRow({ image: null, text: "a red circle" })).toBe("TEXT");
    expect(towerOfRow({ image: null, text: "  " })).toBeNull();
  });
});
