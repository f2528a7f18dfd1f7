// Static analysis of one GraphQL operation with its variables: nesting depth and an estimated cost.
// Cost model: a leaf (scalar/enum) costs 0; an object field costs 1 + m × (cost of its selection), where
// m is its `first`/`last` argument, else DEFAULT_LIST_SIZE for list fields, else 1. The `edges`/`nodes`
// lists of a *Connection are already counted by the connection's `first` (m = 1). Fragments are followed;
// introspection fields (__schema, __type) cost nothing and do not count towards depth.
import {
  getNamedType, isListType, isNonNullType, isObjectType, isInterfaceType, isUnionType, Kind, valueFromASTUntyped,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLNamedType,
  type GraphQLOutputType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from "graphql";

export const DEFAULT_LIST_SIZE = 10;
/** page size assumed for a connection queried without `first` (the catalog default) */
export const DEFAULT_CONNECTION_SIZE = 20;

export interface OperationAnalysis {
  depth: number;
  cost: number;
  /** true when the operation selects __schema or __type */
  introspection: boolean;
  /** the largest `first`/`last` argument seen, with the field path that asked for it */
  largestPage: { size: number; path: string } | null;
}

const isList = (t: GraphQLOutputType): boolean => (isNonNullType(t) ? isList(t.ofType) : isListType(t));

function pageArgument(field: FieldNode, variables: Record<string, unknown>): number | null {
  for (const arg of field.arguments ?? []) {
    if (arg.name.value !== "first" && arg.name.value !== "last") continue;
    const value = valueFromASTUntyped(arg.value, variables);
    if (typeof value === "number") return value;
  }
  return null;
}

/** Selects the operation to run (by name, or the only one); null when it cannot be determined. */
export function selectOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | null {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return ops.find((o) => o.name?.value === operationName) ?? null;
  return ops.length === 1 ? ops[0] : null;
}

export function analyzeOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> = {}): OperationAnalysis {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const result: OperationAnalysis = { depth: 0, cost: 0, introspection: false, largestPage: null };

  // returns [cost, depth] of a selection set on parentType; `visiting` stops fragment cycles (invalid anyway)
  const walk = (set: SelectionSetNode, parentType: GraphQLNamedType, path: string, visiting: Set<string>): [number, number] => {
    let cost = 0;
    let depth = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT || sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = sel.kind === Kind.FRAGMENT_SPREAD ? fragments.get(sel.name.value) : sel;
        if (!frag || (sel.kind === Kind.FRAGMENT_SPREAD && visiting.has(sel.name.value))) continue;
        const cond = frag.typeCondition ? schema.getType(frag.typeCondition.name.value) : parentType;
        const next = sel.kind === Kind.FRAGMENT_SPREAD ? new Set([...visiting, sel.name.value]) : visiting;
        const [c, d] = walk(frag.selectionSet, cond ?? parentType, path, next);
        cost += c;
        depth = Math.max(depth, d);
        continue;
      }
      const name = sel.name.value;
      if (name === "__schema" || name === "__type") { result.introspection = true; continue; }
      if (name === "__typename") continue;
      const fieldPath = path ? `${path}.${sel.alias?.value ?? name}` : sel.alias?.value ?? name;
      const def: GraphQLField<unknown, unknown> | undefined =
        isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[name] : undefined;
      const page = pageArgument(sel, variables);
      if (page != null && (!result.largestPage || page > result.largestPage.size)) result.largestPage = { size: page, path: fieldPath };
      if (!sel.selectionSet) { depth = Math.max(depth, 1); continue; }
      const type = def ? getNamedType(def.type) : parentType;
      const [childCost, childDepth] = isUnionType(type)
        ? type.getTypes().map((t) => walk(sel.selectionSet!, t, fieldPath, visiting)).reduce((a, b) => [Math.max(a[0], b[0]), Math.max(a[1], b[1])], [0, 0])
        : walk(sel.selectionSet, type, fieldPath, visiting);
      const inConnection = parentType.name.endsWith("Connection") && (name === "edges" || name === "nodes");
      const multiplier = page != null ? Math.max(0, page)
        : type.name.endsWith("Connection") ? DEFAULT_CONNECTION_SIZE
        : def && isList(def.type) && !inConnection ? DEFAULT_LIST_SIZE : 1;
      cost += 1 + multiplier * childCost;
      depth = Math.max(depth, 1 + childDepth);
    }
    return [cost, depth];
  };

  const root = operation.operation === "query" ? schema.getQueryType()
    : operation.operation === "mutation" ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return result;
  const [cost, depth] = walk(operation.selectionSet, root, "", new Set());
  result.cost = cost;
  result.depth = depth;
  return result;
}
