// Starts the API: one node:http server with Apollo Server 5 on POST/GET /graphql (CSRF prevention on,
// body size limit, typed errors) and graphql-ws subscriptions on the same path over WebSocket. Further
// WebSocket services (Hocuspocus on /collab) plug into the upgrade router.
import "reflect-metadata";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { openDatabase, type PrismaClient } from "@mmatlas/db";
import { isAppError } from "@mmatlas/errors";
import { createInMemoryPubSub, type AnnotationChangedEvent, type PubSub } from "@mmatlas/labeling";
import { GraphQLError } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { actorFromAuthorization, createContext, type ApiContext, type ContextDeps } from "./context";
import { consoleErrorLogger, createErrorFormatter, formatGraphQLError, type ErrorLogger } from "./errors";
import { buildApiSchema } from "./graphql/schema";
import { createHttpHandler, DEFAULT_BODY_LIMIT } from "./http-handler";
import { attachUpgradeRouter, type UpgradeRouter } from "./upgrade-router";

export const GRAPHQL_PATH = "/graphql";

export interface ApiServerOptions {
  port: number;
  host?: string;
  /** use this client (not closed by close()); otherwise the database at databaseUrl / DATABASE_URL / PGlite is opened */
  prisma?: PrismaClient;
  databaseUrl?: string;
  /** live-event transport; in-process by default */
  pubsub?: PubSub<AnnotationChangedEvent>;
  /** maximum request body (and WebSocket message) size in bytes; 1 MiB by default */
  bodyLimit?: number;
  /** where unexpected errors are logged; console.error by default */
  log?: ErrorLogger;
}

export interface ApiServer {
  url: string;
  wsUrl: string;
  port: number;
  prisma: PrismaClient;
  upgrades: UpgradeRouter;
  close(): Promise<void>;
}

/** The Authorization value a graphql-ws client sent in connectionParams (`authorization` or `Authorization`). */
function authorizationParam(params: Record<string, unknown> | undefined): unknown {
  return params?.authorization ?? params?.Authorization;
}

function unauthenticated(e: unknown): GraphQLError {
  const message = isAppError(e) ? e.message : "authentication failed";
  const code = isAppError(e) ? e.code : "UNAUTHENTICATED";
  return new GraphQLError(message, { extensions: { code, http: { status: code === "UNAUTHENTICATED" ? 401 : 400 } } });
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const log = opts.log ?? consoleErrorLogger;
  const bodyLimit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const db = opts.prisma ? null : await openDatabase({ url: opts.databaseUrl });
  const prisma = opts.prisma ?? db!.prisma;
  const pubsub = opts.pubsub ?? createInMemoryPubSub<AnnotationChangedEvent>();
  const deps: ContextDeps = { prisma, pubsub };
  const schema = await buildApiSchema();
  const formatError = createErrorFormatter(log);

  const apollo = new ApolloServer<ApiContext>({
    schema,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError,
    plugins: [ApolloServerPluginLandingPageDisabled()],
    logger: { debug: () => {}, info: () => {}, warn: (m) => log("apollo warning", m), error: (m) => log("apollo error", m) },
  });
  await apollo.start();

  const httpContext = async (req: IncomingMessage): Promise<ApiContext> => {
    try {
      const { actor, secret } = await actorFromAuthorization(prisma, req.headers.authorization);
      return createContext(deps, actor, secret);
    } catch (e) {
      throw unauthenticated(e);
    }
  };
  const server = createServer(createHttpHandler({ apollo, context: httpContext, bodyLimit, log }));

  const wss = new WebSocketServer({ noServer: true, maxPayload: bodyLimit });
  type WsExtra = { socket: unknown; request: IncomingMessage; auth?: { actor: ApiContext["actor"]; secret: string | null } };
  const wsServer = useServer<Record<string, unknown> | undefined, WsExtra>({
    schema,
    onConnect: async (ctx) => {
      try {
        const header = authorizationParam(ctx.connectionParams) ?? ctx.extra.request.headers.authorization;
        ctx.extra.auth = await actorFromAuthorization(prisma, header);
        return true;
      } catch {
        return false; // closes with 4403 Forbidden
      }
    },
    context: (ctx) => createContext(deps, ctx.extra.auth?.actor ?? null, ctx.extra.auth?.secret ?? null),
    onNext: (_ctx, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: result.errors.map((e) => formatGraphQLError(formatError, e)) } : undefined,
    onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatGraphQLError(formatError, e)),
  }, wss);
  const upgrades = attachUpgradeRouter(server);
  upgrades.route(GRAPHQL_PATH, (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req)));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => { server.off("error", reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host && opts.host !== "0.0.0.0" && opts.host !== "::" ? opts.host : "127.0.0.1";
  const hostForUrl = host.includes(":") ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${port}${GRAPHQL_PATH}`,
    wsUrl: `ws://${hostForUrl}:${port}${GRAPHQL_PATH}`,
    port,
    prisma,
    upgrades,
    close: () => (closing ??= (async () => {
      await wsServer.dispose();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await pubsub.close();
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
      await apollo.stop();
      await db?.close();
    })()),
  };
}
