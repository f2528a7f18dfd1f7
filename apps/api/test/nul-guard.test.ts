// containsNul: finds U+0000 in strings, arrays, object values and keys at any depth; ignores other values.
import { containsNul } from "../src/nul-guard";

it("finds NUL characters wherever they hide in GraphQL variables", () => {
  expect(containsNul("a\u0000b")).toBe(true);
  expect(containsNul({ i: { tags: ["ok", "bad\u0000"] } })).toBe(true);
  expect(containsNul({ ["k\u0000"]: 1 })).toBe(true);
  expect(containsNul({ i: { label: "red 🙂", n: 0, b: false, x: null } })).toBe(false);
  expect(containsNul(undefined)).toBe(false);
  expect(containsNul("\\u0000")).toBe(false); // the escaped text, not the character
});
