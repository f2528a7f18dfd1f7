// Transport glue for API hardening (rules live in @mmatlas/ratelimit and @mmatlas/query-guard): the query
// limits (depth/cost/field count/caps/page size/introspection, with the request's variables) checked on HTTP
// requests before Apollo validates them and again by an Apollo plugin, the graphql-ws onSubscribe hook that
// applies the same checks (plus trusted documents and rate limits) before validating each subscription, and
// the RATE_LIMITED error shape.
import type { IncomingMessage } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import { checkOperation, type QueryLimits, type TrustedDocuments } from "@mmatlas/query-guard";
import { clientAddress, trustedHops, type RequestLimits, type RequestVerdict } from "@mmatlas/ratelimit";
import { secretFromAuthorizationHeader } from "@mmatlas/auth";
import {
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
} from "graphql";

export interface Hardening {
  queryLimits: QueryLimits;
  trusted: TrustedDocuments | null;
  limits: RequestLimits | null;
}

export const rateLimitMessage = (v: RequestVerdict) =>
  `rate limit exceeded: ${v.limit} requests per window ${v.scope === "ip" ? "for this IP" : "for this token"}; retry in ${v.retryAfterSeconds} s`;

export const rateLimitedError = (v: RequestVerdict) =>
  new GraphQLError(rateLimitMessage(v), {
    extensions: { code: "RATE_LIMITED", retryAfter: v.retryAfterSeconds, scope: v.scope },
  });

/** The rate-limit identity of an HTTP request or WebSocket upgrade (client IP and bearer secret, if any). */
export function requestIdentity(req: IncomingMessage, limits: RequestLimits, authorization?: unknown) {
  const header = typeof authorization === "string" ? authorization : req.headers.authorization;
  return {
    ...clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustedHops(limits.config)),
    credential: secretFromAuthorizationHeader(header ?? null),
  };
}

/**
 * Apollo plugin: refuses operations over the query limits or (when disabled) introspection once the operation
 * is resolved. HTTP requests were already checked before validation by `precheckHttpRequest`; this covers
 * every other way into Apollo (executeOperation).
 */
export function queryGuardPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (operation) checkOperation(schema, document, operation, request.variables, limits);
        },
      };
    },
  };
}

type HttpOperation = { query?: unknown; operationName?: unknown; variables?: unknown };

function httpOperation(method: string, url: URL, body: unknown): HttpOperation | null {
  if (method === "GET") {
    let variables: unknown;
    try {
      variables = JSON.parse(url.searchParams.get("variables") ?? "null");
    } catch {
      return null;
    }
    return { query: url.searchParams.get("query"), operationName: url.searchParams.get("operationName"), variables };
  }
  return body && typeof body === "object" && !Array.isArray(body) ? (body as HttpOperation) : null;
}

/** Documents parsed by precheckHttpRequest, by query text: pages send the same few queries over and over. */
export const PARSED_CACHE_ENTRIES = 200;
/** Longer query texts are parsed every time (and not kept). */
export const PARSED_CACHE_MAX_QUERY = 8192;
const parsedDocuments = new Map<string, DocumentNode>();

/**
 * `query` parsed, from a small LRU of recent query texts (≈ 25 KB of parser garbage per unit page saved; issue
 * 19); throws graphql-js's syntax error, which is never cached.
 */
export function parseCached(query: string): DocumentNode {
  if (query.length > PARSED_CACHE_MAX_QUERY) return parse(query);
  const hit = parsedDocuments.get(query);
  if (hit) {
    parsedDocuments.delete(query);
    parsedDocuments.set(query, hit);
    return hit;
  }
  const document = parse(query);
  parsedDocuments.set(query, document);
  if (parsedDocuments.size > PARSED_CACHE_ENTRIES) parsedDocuments.delete(parsedDocuments.keys().next().value!);
  return document;
}

/**
 * The query limits for an HTTP request, before Apollo validates or runs it (the analysis is linear in the
 * document; graphql-js validation of some documents is not). Returns the refusal (QUERY_TOO_COMPLEX, …), or
 * null to let Apollo answer: also for requests it will refuse itself (no query, a parse error, bad variables).
 */
export function precheckHttpRequest(
  schema: GraphQLSchema,
  limits: QueryLimits,
  method: string,
  url: URL,
  body: unknown,
): GraphQLError | null {
  const op = httpOperation(method, url, body);
  if (!op || typeof op.query !== "string") return null;
  if (op.variables != null && (typeof op.variables !== "object" || Array.isArray(op.variables))) return null;
  let document;
  try {
    document = parseCached(op.query);
  } catch {
    return null;
  }
  const operation = getOperationAST(document, typeof op.operationName === "string" ? op.operationName : undefined);
  if (!operation) return null;
  try {
    checkOperation(schema, document, operation, op.variables as Record<string, unknown> | null, limits);
    return null;
  } catch (e) {
    if (e instanceof GraphQLError) return e;
    throw e;
  }
}

/** Drops graphql-js "Did you mean …?" suggestions (as Apollo's hideSchemaDetailsFromClientErrors does for HTTP). */
export const withoutSuggestions = (message: string) => message.replace(/ ?Did you mean(.+?)\?$/, "");

type SubscribePayload = {
  query?: unknown;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  documentId?: unknown;
  extensions?: unknown;
};

/**
 * graphql-ws onSubscribe: rate limit (per subscribe message), trusted documents, parse, validate, and the
 * query guard; returns errors (sent as an `error` message, the socket stays open) or the execution args.
 */
export function guardSubscribe(schema: GraphQLSchema, h: Hardening, opts: { hideSuggestions?: boolean } = {}) {
  return async (
    payload: SubscribePayload,
    req: IncomingMessage,
    authorization: unknown,
  ): Promise<readonly GraphQLError[] | Omit<ExecutionArgs, "contextValue">> => {
    if (h.limits) {
      const verdict = await h.limits.check(requestIdentity(req, h.limits, authorization));
      if (!verdict.allowed) return [rateLimitedError(verdict)];
    }
    try {
      const query = h.trusted ? h.trusted.resolve(payload) : payload.query;
      if (typeof query !== "string" || !query.trim())
        return [new GraphQLError("a subscribe message needs a query", { extensions: { code: "BAD_REQUEST" } })];
      let document;
      try {
        document = parse(query);
      } catch (e) {
        return [new GraphQLError((e as Error).message, { extensions: { code: "GRAPHQL_PARSE_FAILED" } })];
      }
      if (payload.variables != null && (typeof payload.variables !== "object" || Array.isArray(payload.variables))) {
        return [new GraphQLError("variables must be an object", { extensions: { code: "BAD_REQUEST" } })];
      }
      // the query limits first: they cost time linear in the document, validation may cost more
      const operation = getOperationAST(document, payload.operationName ?? undefined);
      if (operation) checkOperation(schema, document, operation, payload.variables, h.queryLimits);
      const errors = validate(schema, document);
      if (errors.length) {
        return errors.map(
          (e) =>
            new GraphQLError(opts.hideSuggestions ? withoutSuggestions(e.message) : e.message, {
              nodes: e.nodes,
              extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
            }),
        );
      }
      if (!operation)
        return [
          new GraphQLError("unable to identify the operation (set operationName)", {
            extensions: { code: "BAD_REQUEST" },
          }),
        ];
      return {
        schema,
        document,
        operationName: payload.operationName ?? undefined,
        variableValues: payload.variables ?? undefined,
      };
    } catch (e) {
      if (e instanceof GraphQLError) return [e];
      throw e;
    }
  };
}
