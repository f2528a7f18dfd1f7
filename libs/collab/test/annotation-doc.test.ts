// The unit document's shape: snapshots, minimal writes, tags, concurrent initialization.
import * as Y from "yjs";
import {
  addTag,
  annotationFields,
  removeTag,
  selectionSegments,
  colorForUser,
  initials,
  encodeSelection,
  decodeSelection,
} from "../src/doc";
import { isEmptyDoc, readSnapshot, writeSnapshot } from "../src/doc/annotation-doc";

describe("readSnapshot / writeSnapshot", () => {
  it("reads defaults from an empty document", () => {
    const d = new Y.Doc();
    expect(isEmptyDoc(d)).toBe(true);
    expect(readSnapshot(d)).toEqual({ label: "", description: "", tags: [], confidence: null, status: "DRAFT" });
  });
  it("round-trips a snapshot through a second replica", () => {
    const a = new Y.Doc();
    writeSnapshot(a, {
      label: "red things",
      description: "fires on red",
      tags: ["color", "red"],
      confidence: 0.8,
      status: "PROPOSED",
    });
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readSnapshot(b)).toEqual({
      label: "red things",
      description: "fires on red",
      tags: ["color", "red"],
      confidence: 0.8,
      status: "PROPOSED",
    });
    expect(isEmptyDoc(b)).toBe(false);
  });
  it("treats malformed meta values as unset", () => {
    const d = new Y.Doc();
    const { meta } = annotationFields(d);
    meta.set("confidence", "high");
    meta.set("status", "DONE");
    expect(readSnapshot(d)).toMatchObject({ confidence: null, status: "DRAFT" });
  });
  it("writes only what differs (one update, no update when equal)", () => {
    const d = new Y.Doc();
    writeSnapshot(d, { label: "dog", tags: ["a"] });
    let updates = 0;
    d.on("update", () => updates++);
    writeSnapshot(d, { label: "dog", tags: ["a"] });
    expect(updates).toBe(0);
    writeSnapshot(d, { label: "dogs", tags: ["a", "b"], confidence: 0.5 });
    expect(updates).toBe(1);
  });
  it("two replicas typing into fresh documents at once converge (top-level types, no competing fields)", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    writeSnapshot(a, { label: "stripes" });
    writeSnapshot(b, { description: "zebra" });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readSnapshot(a)).toEqual(readSnapshot(b));
    expect(readSnapshot(a)).toMatchObject({ label: "stripes", description: "zebra" });
  });
});

describe("tags", () => {
  it("adds trimmed unique tags and removes by value", () => {
    const d = new Y.Doc();
    const { tags } = annotationFields(d);
    expect(addTag(tags, " fur ")).toBe(true);
    expect(addTag(tags, "fur")).toBe(false);
    expect(addTag(tags, "  ")).toBe(false);
    addTag(tags, "animal");
    expect(tags.toArray()).toEqual(["fur", "animal"]);
    expect(removeTag(tags, "fur")).toBe(true);
    expect(removeTag(tags, "fur")).toBe(false);
    expect(tags.toArray()).toEqual(["animal"]);
  });
});

describe("presence helpers", () => {
  it("gives initials and a stable colour", () => {
    expect(initials("Ada Lovelace")).toBe("AL");
    expect(initials("  grace  ")).toBe("G");
    expect(initials("")).toBe("?");
    expect(colorForUser("u1")).toBe(colorForUser("u1"));
    expect(colorForUser("u1")).toMatch(/^#[0-9a-f]{6}$/);
  });
  it("keeps a remote selection attached to its text when text is inserted before it", () => {
    const d = new Y.Doc();
    const t = d.getText("description");
    t.insert(0, "hello world");
    const cursor = encodeSelection(t, "description", 6, 11); // "world"
    t.insert(0, ">> ");
    expect(decodeSelection(d, t, cursor)).toEqual({ from: 9, to: 14 });
  });
});

describe("selectionSegments", () => {
  it("cuts at selection boundaries and carets", () => {
    const segs = selectionSegments("abcdef", [
      { id: "u", from: 1, to: 3, head: 3 },
      { id: "v", from: 5, to: 5, head: 5 },
    ]);
    expect(segs).toEqual([
      { text: "a", coveredBy: [], caretsBefore: [] },
      { text: "bc", coveredBy: ["u"], caretsBefore: [] },
      { text: "de", coveredBy: [], caretsBefore: ["u"] },
      { text: "f", coveredBy: [], caretsBefore: ["v"] },
    ]);
    expect(segs.map((s) => s.text).join("")).toBe("abcdef");
  });
  it("puts a caret at the end into an empty last run", () => {
    expect(selectionSegments("ab", [{ id: "u", from: 2, to: 2, head: 2 }])).toEqual([
      { text: "ab", coveredBy: [], caretsBefore: [] },
      { text: "", coveredBy: [], caretsBefore: ["u"] },
    ]);
  });
});
