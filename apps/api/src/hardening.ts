// Transport glue for API hardening (rules live in @mmatlas/ratelimit and @mmatlas/query-guard): the Apollo
// plugin that checks depth/cost/page size/introspection with the request's variables, the graphql-ws
// onSubscribe hook that applies the same checks (plus trusted documents and rate limits) to every
// subscription, and the RATE_LIMITED error shape.
import type { IncomingMessage } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import { checkOperation, type QueryLimits, type TrustedDocuments } from "@mmatlas/query-guard";
import { clientIp, type RequestLimits, type RequestVerdict } from "@mmatlas/ratelimit";
import { secretFromAuthorizationHeader } from "@mmatlas/auth";
import { getOperationAST, GraphQLError, parse, validate, type ExecutionArgs, type GraphQLSchema } from "graphql";

export interface Hardening {
  queryLimits: QueryLimits;
  trusted: TrustedDocuments | null;
  limits: RequestLimits | null;
}

export const rateLimitMessage = (v: RequestVerdict) =>
  `rate limit exceeded: ${v.limit} requests per window ${v.scope === "ip" ? "for this IP" : "for this token"}; retry in ${v.retryAfterSeconds} s`;

export const rateLimitedError = (v: RequestVerdict) =>
  new GraphQLError(rateLimitMessage(v), { extensions: { code: "RATE_LIMITED", retryAfter: v.retryAfterSeconds, scope: v.scope } });

/** The rate-limit identity of an HTTP request or WebSocket upgrade (client IP and bearer secret, if any). */
export function requestIdentity(req: IncomingMessage, limits: RequestLimits, authorization?: unknown) {
  const header = typeof authorization === "string" ? authorization : req.headers.authorization;
  return {
    ip: clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], limits.config.trustProxy),
    credential: secretFromAuthorizationHeader(header ?? null),
  };
}

/** Apollo plugin: refuses operations over the depth/cost/page-size limits or (when disabled) introspection. */
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

type SubscribePayload = { query?: unknown; operationName?: string | null; variables?: Record<string, unknown> | null; documentId?: unknown; extensions?: unknown };

/**
 * graphql-ws onSubscribe: rate limit (per subscribe message), trusted documents, parse, validate, and the
 * query guard; returns errors (sent as an `error` message, the socket stays open) or the execution args.
 */
export function guardSubscribe(schema: GraphQLSchema, h: Hardening) {
  return async (payload: SubscribePayload, req: IncomingMessage, authorization: unknown): Promise<readonly GraphQLError[] | Omit<ExecutionArgs, "contextValue">> => {
    if (h.limits) {
      const verdict = await h.limits.check(requestIdentity(req, h.limits, authorization));
      if (!verdict.allowed) return [rateLimitedError(verdict)];
    }
    try {
      const query = h.trusted ? h.trusted.resolve(payload) : payload.query;
      if (typeof query !== "string" || !query.trim()) return [new GraphQLError("a subscribe message needs a query", { extensions: { code: "BAD_REQUEST" } })];
      let document;
      try { document = parse(query); } catch (e) {
        return [new GraphQLError((e as Error).message, { extensions: { code: "GRAPHQL_PARSE_FAILED" } })];
      }
      const errors = validate(schema, document);
      if (errors.length) return errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }));
      const operation = getOperationAST(document, payload.operationName ?? undefined);
      if (!operation) return [new GraphQLError("unable to identify the operation (set operationName)", { extensions: { code: "BAD_REQUEST" } })];
      if (payload.variables != null && (typeof payload.variables !== "object" || Array.isArray(payload.variables))) {
        return [new GraphQLError("variables must be an object", { extensions: { code: "BAD_REQUEST" } })];
      }
      checkOperation(schema, document, operation, payload.variables, h.queryLimits);
      return { schema, document, operationName: payload.operationName ?? undefined, variableValues: payload.variables ?? undefined };
    } catch (e) {
      if (e instanceof GraphQLError) return [e];
      throw e;
    }
  };
}
