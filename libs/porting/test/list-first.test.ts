// listFirst against hand-written lists.
import { listFirst } from "../src/list-first";

it("lists every item up to max, then says how many more", () => {
  expect(listFirst(["a", "b"], 4)).toBe("a, b");
  expect(listFirst(["a", "b", "c", "d"], 4)).toBe("a, b, c, d");
  expect(listFirst(["a", "b", "c", "d", "e", "f"], 4)).toBe("a, b, c, d, and 2 more");
  expect(listFirst([], 3)).toBe("");
});
