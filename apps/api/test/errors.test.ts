// The error formatter: AppErrors keep code/message/safe details, request errors keep their codes,
// anything else is a generic INTERNAL_SERVER_ERROR that is logged, never shown.
import { AppError } from "@mmatlas/errors";
import { GraphQLError } from "graphql";
import { createErrorFormatter, INTERNAL_MESSAGE } from "../src/errors";
import { autoLabelsOf, histogramOf } from "@mmatlas/builder";

const resolverError = (original: Error) => new GraphQLError(original.message, { path: ["x"], originalError: original });

it("keeps an AppError's code, message and safe details", () => {
  const logged: unknown[] = [];
  const format = createErrorFormatter((_m, e) => logged.push(e));
  const e = resolverError(AppError.notFound("Unit", "u1"));
  expect(format(e.toJSON(), e)).toEqual({
    message: 'Unit "u1" not found',
    path: ["x"],
    locations: undefined,
    extensions: { code: "NOT_FOUND", what: "Unit", id: "u1" },
  });
  expect(logged).toHaveLength(0);
});

it("hides unexpected errors and AppError INTERNAL, logging them", () => {
  const logged: unknown[] = [];
  const format = createErrorFormatter((_m, e) => logged.push(e));
  for (const original of [
    new TypeError("cannot read x of undefined at /secret/path.ts:10"),
    AppError.internal(new Error("db down")),
  ]) {
    const e = resolverError(original);
    const out = format(e.toJSON(), e);
    expect(out.message).toBe(INTERNAL_MESSAGE);
    expect(out.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
    expect(JSON.stringify(out)).not.toMatch(/secret|db down|stack/);
  }
  expect(logged).toHaveLength(2);
});

it("keeps request-level codes and drops anything else in extensions", () => {
  const format = createErrorFormatter(() => {});
  const e = new GraphQLError("Syntax Error: Expected Name", {
    extensions: { code: "GRAPHQL_PARSE_FAILED", stacktrace: ["at x"] },
  });
  expect(format(e.toJSON(), e)).toMatchObject({
    message: "Syntax Error: Expected Name",
    extensions: { code: "GRAPHQL_PARSE_FAILED" },
  });
  expect(format(e.toJSON(), e).extensions).not.toHaveProperty("stacktrace");
});

it("reads stored histograms and auto-labels defensively", () => {
  expect(histogramOf({ edges: [0, 1, 2], counts: [3, 4] })).toEqual({ edges: [0, 1, 2], counts: [3, 4] });
  expect(histogramOf({ edges: "x" })).toBeNull();
  expect(autoLabelsOf([{ label: "a", score: 0.1 }, { label: "b", score: 0.9, method: "wpmi" }, { nope: 1 }])).toEqual([
    { label: "b", score: 0.9, method: "wpmi" },
    { label: "a", score: 0.1, method: null },
  ]);
});
