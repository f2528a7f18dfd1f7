// Pure parts of the collaboration limits: env parsing, the document's field limits matching the Annotation
// row's, the strict presence colour, message sizes by type, and presence sanitising.
import { DESCRIPTION_MAX, LABEL_MAX } from "@mmatlas/labeling";
import { FIELD_MAX, isPresenceColor, safePresenceColor } from "../src/doc/limits";
import { checkMessageSize } from "../src/server/size-guard";
import { collabLimitsFromEnv, DEFAULT_COLLAB_LIMITS } from "../src/server/collab-limits";
import { sanitizeCursor } from "../src/server/presence-guard";

it("reads the limits from COLLAB_* env and refuses values that are not positive integers", () => {
  expect(collabLimitsFromEnv({})).toEqual(DEFAULT_COLLAB_LIMITS);
  expect(
    collabLimitsFromEnv({
      COLLAB_MAX_DOCUMENT_BYTES: "5000",
      COLLAB_MAX_UPDATE_BYTES: "9000",
      COLLAB_AWARENESS_RATE: "3",
    }),
  ).toMatchObject({ maxDocumentBytes: 5000, maxUpdateBytes: 5000, awarenessPerSecond: 3 }); // an update never exceeds the document
  expect(() => collabLimitsFromEnv({ COLLAB_MAX_AWARENESS_BYTES: "lots" })).toThrow(
    expect.objectContaining({ code: "BAD_USER_INPUT" }),
  );
  expect(() => collabLimitsFromEnv({ COLLAB_MAX_DOCUMENT_BYTES: "0" })).toThrow(/positive integer/);
});

it("keeps the document's field limits equal to the Annotation row's", () => {
  expect(FIELD_MAX).toEqual({ label: LABEL_MAX, description: DESCRIPTION_MAX });
});

it("accepts only #rrggbb presence colours", () => {
  expect(isPresenceColor("#1a9e9e")).toBe(true);
  for (const bad of ["url(http://evil.example/)", "#fff", "#1a9e9e;background:url(x)", "red", 12, null])
    expect(isPresenceColor(bad)).toBe(false);
  expect(safePresenceColor("url(http://evil.example/)", "#000000")).toBe("#000000");
});

it("limits sync messages to the update limit and every other message to the awareness limit", () => {
  const msg = (type: number, size: number) => {
    const m = new Uint8Array(size);
    m[0] = 1;
    m[1] = 0x61;
    m[2] = type;
    return m;
  };
  const limits = { ...DEFAULT_COLLAB_LIMITS, maxUpdateBytes: 1000, maxAwarenessBytes: 100 };
  expect(() => checkMessageSize(msg(0, 900), limits)).not.toThrow();
  expect(() => checkMessageSize(msg(0, 1001), limits)).toThrow(
    expect.objectContaining({
      code: 4413,
      reason: expect.stringMatching(/^BAD_USER_INPUT: .*COLLAB_MAX_UPDATE_BYTES/),
    }),
  );
  expect(() => checkMessageSize(msg(1, 101), limits)).toThrow(/COLLAB_MAX_AWARENESS_BYTES/);
});

it("keeps only a well-formed, small cursor", () => {
  const pos = { type: { client: 1, clock: 2 }, item: null, assoc: 0 };
  expect(sanitizeCursor({ field: "label", anchor: pos, head: pos, extra: "x" })).toEqual({
    field: "label",
    anchor: pos,
    head: pos,
  });
  expect(sanitizeCursor({ field: "style", anchor: pos, head: pos })).toBeNull();
  expect(sanitizeCursor({ field: "label", anchor: { big: "x".repeat(2000) }, head: pos })).toBeNull();
  expect(sanitizeCursor("label")).toBeNull();
});
