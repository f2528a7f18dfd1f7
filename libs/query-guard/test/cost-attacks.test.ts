// The cost attacks of issue 15 against the analyzer and guard: exponential fragment fan-out (linear time,
// refused), fragment cycles (terminate), per-field prices and caps from the `queryCost` extension, list sizes
// from `limit`, introspection floods, and the response size cap.
import {
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  parse,
  type GraphQLError,
} from "graphql";
import { checkOperation, DEFAULT_QUERY_LIMITS, stringifyWithinLimit, withinLimit, type QueryLimits } from "../src";
import { analyzeOperation, selectOperation } from "../src/analyze";

const Example = new GraphQLObjectType({
  name: "Example",
  fields: {
    id: { type: GraphQLString },
    imageDataUrl: { type: GraphQLString, extensions: { queryCost: { cost: 10 } } },
  },
});
const Top = new GraphQLObjectType({
  name: "TopActivation",
  fields: { rank: { type: GraphQLInt }, example: { type: new GraphQLNonNull(Example) } },
});
const Unit = new GraphQLObjectType({
  name: "Unit",
  fields: {
    id: { type: GraphQLString },
    topActivations: {
      type: new GraphQLList(Top),
      args: { limit: { type: GraphQLInt } },
      extensions: { queryCost: { listSize: 20 } },
    },
  },
});
const Probe = new GraphQLObjectType({ name: "ProbeResult", fields: { latencyMs: { type: GraphQLInt } } });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: "Query",
    fields: {
      unit: { type: Unit, args: { id: { type: GraphQLString } } },
      probe: {
        type: Probe,
        args: { text: { type: GraphQLString } },
        extensions: { queryCost: { cost: 200, maxPerRequest: 4 } },
      },
      name: { type: GraphQLString },
    },
  }),
});

const fanOut = (levels: number, leaf = "__typename") => {
  const parts = [`fragment F0 on Query { ${leaf} }`];
  for (let i = 1; i <= levels; i++) parts.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
  return `query { ...F${levels} } ${parts.join(" ")}`;
};
const analyze = (q: string, vars?: Record<string, unknown>) => {
  const d = parse(q);
  return analyzeOperation(schema, d, selectOperation(d)!, vars);
};
const refusal = (q: string, limits: QueryLimits = DEFAULT_QUERY_LIMITS, vars?: Record<string, unknown>) => {
  const d = parse(q);
  try {
    checkOperation(schema, d, selectOperation(d)!, vars, limits);
    return null;
  } catch (e) {
    return (e as GraphQLError).extensions;
  }
};
const aliases = (n: number, body: string) =>
  `query { ${Array.from({ length: n }, (_, i) => `a${i}: ${body}`).join(" ")} }`;

test("fragment fan-out is analysed in linear time and refused as QUERY_TOO_COMPLEX", () => {
  for (const levels of [22, 30, 200]) {
    const t0 = performance.now();
    const a = analyze(fanOut(levels, "name"));
    expect(performance.now() - t0).toBeLessThan(1000); // the walk of one spread per level; the old walk took 2^levels
    expect(a.fields).toBe(2 ** levels);
    expect(refusal(fanOut(levels))).toMatchObject({
      code: "QUERY_TOO_COMPLEX",
      maxFields: DEFAULT_QUERY_LIMITS.maxFields,
    });
  }
  // costly leaves multiply as well: 2^22 probes
  expect(analyze(fanOut(22, "probe { latencyMs }")).capped["Query.probe"].count).toBe(2 ** 22);
  // a fan-out of 2,000 levels overflows to Infinity: still refused, reported as a finite number
  const huge = refusal(fanOut(2000));
  expect(huge).toMatchObject({ code: "QUERY_TOO_COMPLEX", fields: Number.MAX_SAFE_INTEGER });
});

test("fragment cycles (invalid GraphQL) terminate and count nothing", () => {
  const a = analyze(
    "query { ...A } fragment A on Query { name ...B } fragment B on Query { probe { latencyMs } ...A }",
  );
  expect(a.fields).toBe(3);
  expect(a.cost).toBe(200); // probe: its price 200 (replacing 1) + latencyMs 0
});

test("fields are priced by their queryCost extension and lists by their limit argument", () => {
  // unit 1 + topActivations (1 + 100 × (example 1 + imageDataUrl 10)) = 1 + 1 + 1100
  expect(analyze(`{ unit(id: "u") { topActivations(limit: 100) { example { imageDataUrl } } } }`).cost).toBe(1102);
  // without limit: the field's listSize (20)
  expect(analyze(`{ unit(id: "u") { topActivations { example { imageDataUrl } } } }`).cost).toBe(1 + 1 + 20 * 11);
  expect(
    analyze(`query($n: Int) { unit(id: "u") { topActivations(limit: $n) { rank } } }`, { n: 7 }).largestPage,
  ).toEqual({ size: 7, path: "unit.topActivations" });
  expect(refusal(`{ unit(id: "u") { topActivations(limit: 1000) { rank } } }`)).toMatchObject({
    code: "BAD_USER_INPUT",
  });
  // 400 aliases of the image query (1,600 fields): 400 × 1102 is far over the cost limit
  expect(
    refusal(aliases(400, `unit(id: "u") { topActivations(limit: 100) { example { imageDataUrl } } }`)),
  ).toMatchObject({ code: "QUERY_TOO_COMPLEX", cost: 400 * 1102 });
});

test("a field's maxPerRequest caps aliases of it", () => {
  expect(refusal(aliases(4, `probe(text: "x") { latencyMs }`))).toBeNull();
  expect(refusal(aliases(2000, `probe(text: "x") { latencyMs }`))).toMatchObject({
    code: "QUERY_TOO_COMPLEX",
    field: "Query.probe",
    count: 2000,
    maxPerRequest: 4,
  });
  expect(refusal(aliases(5, `probe(text: "x") { latencyMs }`))).toMatchObject({ field: "Query.probe", count: 5 });
});

test("introspection counts toward cost: one __schema and a bounded number of __type per request", () => {
  expect(refusal("{ __schema { types { name } } }")).toBeNull();
  expect(refusal(aliases(2, "__schema { types { name } }"))).toMatchObject({
    code: "QUERY_TOO_COMPLEX",
    field: "__schema",
    count: 2,
    maxPerRequest: 1,
  });
  expect(refusal(aliases(1500, "__schema { types { name } }"))).toMatchObject({
    code: "QUERY_TOO_COMPLEX",
    field: "__schema",
    count: 1500,
  });
  expect(refusal(aliases(DEFAULT_QUERY_LIMITS.maxTypeIntrospections, `__type(name: "Query") { name }`))).toBeNull();
  expect(
    refusal(aliases(DEFAULT_QUERY_LIMITS.maxTypeIntrospections + 1, `__type(name: "Query") { name }`)),
  ).toMatchObject({ field: "__type", maxPerRequest: DEFAULT_QUERY_LIMITS.maxTypeIntrospections });
  // a fragment spread twice doubles its __schema count
  expect(refusal("query { ...S ...S } fragment S on Query { __schema { queryType { name } } }")).toMatchObject({
    field: "__schema",
    count: 2,
  });
});

test("responses over maxResponseBytes become one RESPONSE_TOO_LARGE error", () => {
  const big = { data: { x: "é".repeat(600) } }; // 1,200 UTF-8 bytes in 600 UTF-16 units
  expect(JSON.parse(stringifyWithinLimit(big, 10_000))).toEqual(big);
  expect(JSON.parse(stringifyWithinLimit(big, 1_000))).toMatchObject({
    errors: [{ extensions: { code: "RESPONSE_TOO_LARGE", maxBytes: 1_000 } }],
  });
  expect(withinLimit(big, 10_000)).toBe(big);
  expect(withinLimit(big, 1_000)).toMatchObject({ errors: [{ extensions: { code: "RESPONSE_TOO_LARGE" } }] });
});
