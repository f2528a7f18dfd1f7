// Depth and cost of operations on a small schema, against hand-computed values, plus the guard's errors
// and env settings.
import { buildSchema, parse, type GraphQLError } from "graphql";
import { checkOperation, DEFAULT_QUERY_LIMITS, queryLimitsFromEnv } from "../src";
import { analyzeOperation, SCHEMA_INTROSPECTION_COST, selectOperation } from "../src/analyze";

const schema = buildSchema(`
  type Query { units(first: Int, after: String): UnitConnection!, unit(id: ID!): Unit, models: [Model!]! }
  type Model { id: ID!, name: String!, units(first: Int): UnitConnection! }
  type UnitConnection { edges: [UnitEdge!]!, pageInfo: PageInfo! }
  type PageInfo { hasNextPage: Boolean! }
  type UnitEdge { cursor: String!, node: Unit! }
  type Unit { id: ID!, label: String, model: Model!, tags: [String!]! }
`);

const analyze = (q: string, variables?: Record<string, unknown>) => {
  const doc = parse(q);
  return analyzeOperation(schema, doc, selectOperation(doc)!, variables);
};

test("leaf fields cost nothing; an object field costs 1 plus its selection", () => {
  // unit: 1 + (model: 1 + 0) = 2 ; depth unit.model.name = 3
  expect(analyze("{ unit(id: 1) { id label tags model { name } } }")).toMatchObject({
    cost: 2,
    depth: 3,
    introspection: false,
  });
});

test("a connection multiplies its selection by first (edges counted once)", () => {
  // units(first: 50): 1 + 50 × (edges: 1 + 1 × (node: 1 + model: 1) = 3, pageInfo: 1) = 1 + 50 × 4 = 201
  const a = analyze(
    "query Q($n: Int) { units(first: $n) { edges { node { id model { name } } } pageInfo { hasNextPage } } }",
    { n: 50 },
  );
  expect(a.cost).toBe(201);
  expect(a.depth).toBe(5);
  expect(a.largestPage).toEqual({ size: 50, path: "units" });
});

test("without first a connection counts 20 and a list 10; nesting multiplies", () => {
  // models: 1 + 10 × (units: 1 + 20 × (edges: 1 + node: 1) ) = 1 + 10 × 41 = 411
  expect(analyze("{ models { units { edges { node { id } } } } }").cost).toBe(411);
});

test("fragments are followed; introspection fields are flagged, priced flat and kept out of depth", () => {
  const a = analyze(
    "query { unit(id: 1) { ...U } __schema { types { name } } } fragment U on Unit { model { units(first: 3) { edges { node { id } } } } }",
  );
  // unit: 1 + (model: 1 + (units: 1 + 3 × (edges 1 + node 1))) = 1 + 1 + 7 = 9, + __schema 1000
  expect(a.cost).toBe(9 + SCHEMA_INTROSPECTION_COST);
  expect(a.introspections).toEqual({ schema: 1, type: 0 });
  expect(a.introspection).toBe(true);
  expect(a.depth).toBe(6); // unit.model.units.edges.node.id
});

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return null;
  } catch (e) {
    return (e as GraphQLError).extensions?.code;
  }
};

test("the guard refuses deep, costly, oversized and (when disabled) introspection queries", () => {
  const check =
    (q: string, limits = DEFAULT_QUERY_LIMITS, vars?: Record<string, unknown>) =>
    () => {
      const d = parse(q);
      return checkOperation(schema, d, selectOperation(d)!, vars, limits);
    };
  let deep = "id";
  for (let i = 0; i < 15; i++) deep = `model { units(first: 1) { edges { node { ${deep} } } } }`;
  expect(codeOf(check(`{ unit(id: 1) { ${deep} } }`))).toBe("QUERY_TOO_COMPLEX");
  expect(
    codeOf(check("{ units(first: 100) { edges { node { model { units(first: 100) { edges { node { id } } } } } } } }")),
  ).toBe("QUERY_TOO_COMPLEX");
  expect(
    codeOf(check("query($n: Int) { units(first: $n) { edges { cursor } } }", DEFAULT_QUERY_LIMITS, { n: 1000 })),
  ).toBe("BAD_USER_INPUT");
  expect(codeOf(check("{ __schema { types { name } } }", { ...DEFAULT_QUERY_LIMITS, introspection: false }))).toBe(
    "INTROSPECTION_DISABLED",
  );
  expect(codeOf(check("{ __schema { types { name } } }"))).toBeNull();
  expect(codeOf(check("{ units(first: 100) { edges { node { id } } } }"))).toBeNull();
});

test("limits from env: defaults, production switches introspection off, bad values are errors", () => {
  expect(queryLimitsFromEnv({})).toEqual(DEFAULT_QUERY_LIMITS);
  expect(queryLimitsFromEnv({ NODE_ENV: "production" }).introspection).toBe(false);
  expect(
    queryLimitsFromEnv({ NODE_ENV: "production", GRAPHQL_INTROSPECTION: "true", GRAPHQL_MAX_DEPTH: "4" }),
  ).toMatchObject({ introspection: true, maxDepth: 4 });
  expect(() => queryLimitsFromEnv({ GRAPHQL_MAX_COST: "-1" })).toThrow(/GRAPHQL_MAX_COST/);
});
