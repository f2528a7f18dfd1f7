// diffText / applyTextDiff / transformIndex against hand-worked examples.
import * as Y from "yjs";
import { applyTextDiff, transformIndex } from "../src/doc";
import { diffText } from "../src/doc/text-diff";

describe("diffText", () => {
  it("is null for equal strings", () => expect(diffText("abc", "abc")).toBeNull());
  it("finds an insertion in the middle", () =>
    expect(diffText("cat", "chat")).toEqual({ index: 1, deleteCount: 0, insert: "h" }));
  it("finds a deletion at the end", () =>
    expect(diffText("dogs", "dog")).toEqual({ index: 3, deleteCount: 1, insert: "" }));
  it("finds a replacement keeping prefix and suffix", () =>
    expect(diffText("red car", "blue car")).toEqual({ index: 0, deleteCount: 3, insert: "blue" }));
  it("prefers the earliest position for repeated letters", () =>
    expect(diffText("aa", "aaa")).toEqual({ index: 2, deleteCount: 0, insert: "a" }));
  it("does not split a surrogate pair", () => {
    // "😀" = \ud83d\ude00, "😃" = \ud83d\ude03: same high surrogate, the splice must cover both halves
    expect(diffText("x😀y", "x😃y")).toEqual({ index: 1, deleteCount: 2, insert: "😃" });
  });
});

describe("applyTextDiff", () => {
  it("keeps concurrent edits of another replica (minimal splice, not replace-all)", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    applyTextDiff(a.getText("t"), "hello world");
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    applyTextDiff(a.getText("t"), "hello brave world"); // a inserts in the middle
    applyTextDiff(b.getText("t"), "hello world!"); // b appends at the same time
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(a.getText("t").toString()).toBe("hello brave world!");
    expect(b.getText("t").toString()).toBe("hello brave world!");
  });
  it("returns null and changes nothing when equal", () => {
    const d = new Y.Doc();
    const t = d.getText("t");
    t.insert(0, "same");
    let updates = 0;
    d.on("update", () => updates++);
    expect(applyTextDiff(t, "same")).toBeNull();
    expect(updates).toBe(0);
  });
});

describe("transformIndex", () => {
  it("moves right by inserts before the caret", () =>
    expect(transformIndex(5, [{ retain: 2 }, { insert: "abc" }])).toBe(8));
  it("stays for inserts after the caret", () => expect(transformIndex(5, [{ retain: 7 }, { insert: "abc" }])).toBe(5));
  it("moves right for an insert exactly at the caret", () =>
    expect(transformIndex(5, [{ retain: 5 }, { insert: "xy" }])).toBe(7));
  it("moves left by deletions before the caret", () =>
    expect(transformIndex(5, [{ retain: 1 }, { delete: 2 }])).toBe(3));
  it("goes to the start of a deletion that spans it", () =>
    expect(transformIndex(5, [{ retain: 3 }, { delete: 4 }])).toBe(3));
  it("matches what Yjs does to the text", () => {
    const d = new Y.Doc();
    const t = d.getText("t");
    t.insert(0, "the quick fox");
    let delta: never[] = [];
    t.observe((e) => {
      delta = e.delta as never[];
    });
    const caret = "the quick ".length; // before "fox"
    d.transact(() => {
      t.delete(0, 4);
      t.insert(0, "a ");
      t.insert(8, "brown ");
    });
    const moved = transformIndex(caret, delta);
    expect(t.toString().slice(moved)).toBe("fox");
  });
});
