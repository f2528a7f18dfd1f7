// Route segments: valid escapes decode, malformed ones give null (the page then answers 404).
import { decodeRouteParam } from "./route-param";

test("decodes valid percent-encoding and refuses malformed sequences", () => {
  expect(decodeRouteParam("m%2Fh%2F3")).toBe("m/h/3");
  expect(decodeRouteParam("plain")).toBe("plain");
  expect(decodeRouteParam("%E0%A4%A")).toBeNull();
  expect(decodeRouteParam("%")).toBeNull();
  expect(decodeRouteParam("%FF")).toBeNull();
});
