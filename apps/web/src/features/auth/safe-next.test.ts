// The sign-in redirect target: same-origin paths pass, everything that could leave the site becomes "/".
import { safeNextPath } from "./safe-next";

test("keeps same-origin paths with their query and hash", () => {
  expect(safeNextPath("/units/m%2Fh%2F3?tab=labels#top")).toBe("/units/m%2Fh%2F3?tab=labels#top");
  expect(safeNextPath("/account")).toBe("/account");
  expect(safeNextPath("/")).toBe("/");
});

test("refuses targets a browser would resolve to another origin", () => {
  for (const evil of [
    "//evil.example/phish",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "///evil.example",
    "/%5Cevil.example/../\\x",
  ])
    expect(safeNextPath(evil)).toBe("/");
  expect(safeNextPath(null)).toBe("/");
  expect(safeNextPath(undefined)).toBe("/");
  expect(safeNextPath("")).toBe("/");
});
