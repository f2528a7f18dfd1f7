import { queueOrderFromParam, queueSearchWithOrder } from "./queue-order";

it("reads the order from the URL, anything unknown is catalog order", () => {
  expect(queueOrderFromParam("low-score")).toBe("LOW_SCORE_FIRST");
  expect(queueOrderFromParam("LOW_SCORE_FIRST")).toBe("LOW_SCORE_FIRST");
  expect(queueOrderFromParam(null)).toBe("CATALOG");
  expect(queueOrderFromParam("random")).toBe("CATALOG");
});

it("writes the order into the query string, keeping the model", () => {
  expect(queueSearchWithOrder("?model=m1", "LOW_SCORE_FIRST")).toBe("?model=m1&order=low-score");
  expect(queueSearchWithOrder("?model=m1&order=low-score", "CATALOG")).toBe("?model=m1");
  expect(queueSearchWithOrder("", "CATALOG")).toBe("");
});
