// Static analysis of one GraphQL operation with its variables: nesting depth, an estimated cost, the number of
// field selections, and how often capped fields (probe, __schema, __type, …) are selected.
// Cost model: a field costs its own price (a scalar/enum 0, an object 1, or the `queryCost.cost` field
// extension) + m × (cost of its selection), where m is its `first`/`last`/`limit` argument, else the field's
// `queryCost.listSize`, else DEFAULT_LIST_SIZE for list fields (DEFAULT_CONNECTION_SIZE for a *Connection),
// else 1. The `edges`/`nodes` lists of a *Connection are already counted by the connection's `first` (m = 1).
// Introspection: `__schema` costs SCHEMA_INTROSPECTION_COST and `__type` TYPE_INTROSPECTION_COST, flat; they do
// not count towards depth. Time is linear in the document: each named fragment is analysed once (memoised by
// name) and a spread adds that summary; a fragment cycle (invalid GraphQL) contributes nothing.
import {
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

export const DEFAULT_LIST_SIZE = 10;
/** page size assumed for a connection queried without `first` (the catalog default) */
export const DEFAULT_CONNECTION_SIZE = 20;
/** flat cost of one `__schema` selection (a full introspection answer is tens of KB) */
export const SCHEMA_INTROSPECTION_COST = 1000;
/** flat cost of one `__type` selection */
export const TYPE_INTROSPECTION_COST = 50;
/** arguments read as a list's size */
const SIZE_ARGUMENTS = new Set(["first", "last", "limit"]);

/**
 * Price of a field, set as the `queryCost` extension of a schema field (type-graphql: `@Extensions({ queryCost:
 * { cost: 200, maxPerRequest: 4 } })`). `cost` replaces the field's own price; `listSize` is the size of a list
 * asked for without `first`/`last`/`limit`; `maxPerRequest` caps how often the field runs in one request.
 */
export interface FieldCost {
  cost?: number;
  listSize?: number;
  maxPerRequest?: number;
}
export const QUERY_COST_EXTENSION = "queryCost";

export interface OperationAnalysis {
  depth: number;
  cost: number;
  /** field selections after expanding every fragment spread (aliases count, list sizes do not) */
  fields: number;
  /** true when the operation selects __schema or __type */
  introspection: boolean;
  /** the largest `first`/`last`/`limit` argument seen, with the field path that asked for it */
  largestPage: { size: number; path: string } | null;
  /** how often `__schema` and `__type` are selected */
  introspections: { schema: number; type: number };
  /** how often each field with a `maxPerRequest` ("Type.field") runs, with its cap */
  capped: Record<string, { count: number; max: number }>;
}

/** What a selection set adds up to; a named fragment's summary is computed once and reused at every spread. */
interface Summary {
  cost: number;
  depth: number;
  fields: number;
  counts: Map<string, number>;
}

const isList = (t: GraphQLOutputType): boolean => (isNonNullType(t) ? isList(t.ofType) : isListType(t));

function sizeArgument(field: FieldNode, variables: Record<string, unknown>): number | null {
  for (const arg of field.arguments ?? []) {
    if (!SIZE_ARGUMENTS.has(arg.name.value)) continue;
    const value = valueFromASTUntyped(arg.value, variables);
    if (typeof value === "number") return value;
  }
  return null;
}

function fieldCostOf(def: GraphQLField<unknown, unknown> | undefined): FieldCost {
  const ext = def?.extensions?.[QUERY_COST_EXTENSION];
  return ext && typeof ext === "object" ? (ext as FieldCost) : {};
}

/** Selects the operation to run (by name, or the only one); null when it cannot be determined. */
export function selectOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | null {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return ops.find((o) => o.name?.value === operationName) ?? null;
  return ops.length === 1 ? ops[0] : null;
}

const addCounts = (into: Map<string, number>, from: Map<string, number>, times: number) => {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v * times);
};

/**
 * Analyses `operation` (of a parsed, not necessarily validated, document). Unknown fields and fragments are
 * skipped (validation reports them); numbers that overflow become Infinity, which every limit refuses.
 */
export function analyzeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): OperationAnalysis {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION && !fragments.has(d.name.value)) fragments.set(d.name.value, d);
  const result: OperationAnalysis = {
    depth: 0,
    cost: 0,
    fields: 0,
    introspection: false,
    largestPage: null,
    introspections: { schema: 0, type: 0 },
    capped: {},
  };
  const caps = new Map<string, number>();
  const memo = new Map<string, Summary | "in progress">();

  const fragmentSummary = (name: string, parentType: GraphQLNamedType): Summary | null => {
    const known = memo.get(name);
    if (known === "in progress") return null; // a cycle: invalid, validation reports it
    if (known) return known;
    const frag = fragments.get(name);
    if (!frag) return null;
    memo.set(name, "in progress");
    const summary = walk(frag.selectionSet, schema.getType(frag.typeCondition.name.value) ?? parentType, name);
    memo.set(name, summary);
    return summary;
  };

  // `path` names the field (or fragment) for messages only
  function walk(set: SelectionSetNode, parentType: GraphQLNamedType, path: string): Summary {
    const s: Summary = { cost: 0, depth: 0, fields: 0, counts: new Map() };
    const add = (c: Summary, times = 1, extraDepth = 0) => {
      s.cost += c.cost * times;
      s.depth = Math.max(s.depth, c.depth + extraDepth);
      s.fields += c.fields;
      addCounts(s.counts, c.counts, times);
    };
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const c = fragmentSummary(sel.name.value, parentType);
        if (c) add(c);
        continue;
      }
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parentType;
        add(walk(sel.selectionSet, cond ?? parentType, path));
        continue;
      }
      const name = sel.name.value;
      s.fields += 1;
      if (name === "__schema" || name === "__type") {
        result.introspection = true;
        s.cost += name === "__schema" ? SCHEMA_INTROSPECTION_COST : TYPE_INTROSPECTION_COST;
        s.counts.set(name, (s.counts.get(name) ?? 0) + 1);
        continue;
      }
      if (name === "__typename") continue;
      const fieldPath = path ? `${path}.${sel.alias?.value ?? name}` : (sel.alias?.value ?? name);
      const def: GraphQLField<unknown, unknown> | undefined =
        isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[name] : undefined;
      const price = fieldCostOf(def);
      if (price.maxPerRequest != null) {
        const key = `${parentType.name}.${name}`;
        caps.set(key, price.maxPerRequest);
        s.counts.set(key, (s.counts.get(key) ?? 0) + 1);
      }
      const size = sizeArgument(sel, variables);
      if (size != null && (!result.largestPage || size > result.largestPage.size || size < 0))
        result.largestPage = { size, path: fieldPath };
      if (!sel.selectionSet) {
        s.cost += price.cost ?? 0;
        s.depth = Math.max(s.depth, 1);
        continue;
      }
      const type = def ? getNamedType(def.type) : parentType;
      const child = walk(sel.selectionSet, type, fieldPath);
      const inConnection = parentType.name.endsWith("Connection") && (name === "edges" || name === "nodes");
      const multiplier =
        size != null
          ? Math.max(0, size)
          : price.listSize != null
            ? price.listSize
            : type.name.endsWith("Connection")
              ? DEFAULT_CONNECTION_SIZE
              : def && isList(def.type) && !inConnection
                ? DEFAULT_LIST_SIZE
                : 1;
      s.cost += price.cost ?? 1;
      add(child, multiplier, 1);
    }
    return s;
  }

  const root =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return result;
  const total = walk(operation.selectionSet, root, "");
  result.cost = total.cost;
  result.depth = total.depth;
  result.fields = total.fields;
  result.introspections = { schema: total.counts.get("__schema") ?? 0, type: total.counts.get("__type") ?? 0 };
  for (const [key, max] of caps) result.capped[key] = { count: total.counts.get(key) ?? 0, max };
  return result;
}
