// Starts the API: one node:http server with Apollo Server 5 on POST/GET /graphql (CSRF prevention on,
// body size limit, typed errors, rate limits, query depth/cost limits, optional trusted documents) and
// graphql-ws subscriptions on the same path over WebSocket (same limits per subscribe message). Further
// WebSocket services (Hocuspocus on /collab) plug into the upgrade router.
import "reflect-metadata";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { InProcessJobQueue, jobProgressTopic, type JobProgress, type JobQueue } from "@mmatlas/builder";
import { withLabelRescoring } from "./label-rescoring";
import { openDatabase, sqlDriverOf, type PrismaClient } from "@mmatlas/db";
import { exampleImages } from "@mmatlas/catalog";
import { isAppError } from "@mmatlas/errors";
import type { AnnotationChangedEvent } from "@mmatlas/labeling";
import { createInMemoryPubSub, type PubSub } from "@mmatlas/realtime";
import { GraphQLError } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { actorFromAuthorization, createContext, type ApiContext, type ContextDeps } from "./context";
import { consoleErrorLogger, createErrorFormatter, formatGraphQLError, type ErrorLogger } from "./errors";
import { buildApiSchema } from "./graphql/schema";
import { nulGuardPlugin } from "./nul-guard";
import { bodyLimitFromEnv, checkBodyLimit } from "./body-limit";
import { createHttpHandler } from "./http-handler";
import { guardSubscribe, precheckHttpRequest, queryGuardPlugin, type Hardening } from "./hardening";
import {
  loadTrustedDocuments,
  queryLimitsFromEnv,
  stringifyWithinLimit,
  withinLimit,
  type QueryLimits,
} from "@mmatlas/query-guard";
import {
  createLoginThrottle,
  createMemoryRateLimiter,
  createRateLimiterFromEnv,
  createRequestLimits,
  rateLimitConfigFromEnv,
  type RateLimitConfig,
  type RateLimiter,
} from "@mmatlas/ratelimit";
import { attachUpgradeRouter, type UpgradeRouter } from "./upgrade-router";
import { createCollabServer, type CollabServer, type CollabServerOptions } from "@mmatlas/collab";
import { maxImageBytes } from "@mmatlas/probe";
import { diagnosticsFromEnv } from "./diagnostics";

export const GRAPHQL_PATH = "/graphql";
export const COLLAB_PATH = "/collab";

export interface ApiServerOptions {
  port: number;
  host?: string;
  /** use this client (not closed by close()); otherwise the database at databaseUrl / DATABASE_URL / PGlite is opened */
  prisma?: PrismaClient;
  databaseUrl?: string;
  /** live-event transport; in-process by default */
  pubsub?: PubSub<AnnotationChangedEvent>;
  /**
   * maximum request body (and WebSocket message) size in bytes; default API_MAX_BODY_BYTES, else what a
   * PROBE_MAX_IMAGE_BYTES probe image needs (at least 1 MiB). Refused when a max-size probe image cannot fit.
   */
  bodyLimit?: number;
  /** where unexpected errors are logged; console.error by default */
  log?: ErrorLogger;
  /** who runs atlas build jobs: an in-process queue (default, concurrency 1) or nobody (another worker does) */
  jobRunner?: "in-process" | "none" | ((prisma: PrismaClient) => JobQueue);
  /** transport of job progress events (jobProgress subscription); in-process by default */
  jobPubsub?: PubSub<JobProgress>;
  /** a label edit rescores its unit this many ms after the last edit; LABEL_RESCORE_DELAY_MS or 3000 by default; 0 = off */
  labelRescoreDelayMs?: number;
  /** live co-labeling (Hocuspocus on /collab): Redis fan-out between API nodes, store debounce */
  collab?: Pick<CollabServerOptions, "redis" | "debounceMs" | "maxDebounceMs" | "limits">;
  /**
   * per-IP / per-token rate limits; false disables them. Default: RATE_LIMIT_* env settings with a Redis
   * limiter when REDIS_URL is set (shared by API nodes), in-memory otherwise. A given limiter is not closed.
   */
  rateLimit?: { limiter?: RateLimiter; config?: RateLimitConfig } | false;
  /** depth/cost/page-size limits, introspection, trusted documents; GRAPHQL_* env settings by default */
  queryLimits?: QueryLimits;
}

export interface ApiServer {
  url: string;
  wsUrl: string;
  /** Hocuspocus endpoint (ws://…/collab) */
  collabUrl: string;
  port: number;
  prisma: PrismaClient;
  upgrades: UpgradeRouter;
  collab: CollabServer;
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
  const bodyLimit =
    opts.bodyLimit === undefined
      ? bodyLimitFromEnv()
      : checkBodyLimit(opts.bodyLimit, maxImageBytes(), "the bodyLimit option");
  const db = opts.prisma ? null : await openDatabase({ url: opts.databaseUrl });
  const prisma = opts.prisma ?? db!.prisma;
  const annotationEvents = opts.pubsub ?? createInMemoryPubSub<AnnotationChangedEvent>();
  const jobPubsub = opts.jobPubsub ?? createInMemoryPubSub<JobProgress>();
  const publishProgress = (p: JobProgress) => {
    jobPubsub.publish(jobProgressTopic(p.jobId), p).catch((e: unknown) => log("job progress publish failed", e));
  };
  const runner = opts.jobRunner ?? "in-process";
  // a factory: an external queue (e.g. BullMQ from @mmatlas/queue: `npm run worker` processes run the builds)
  const queue: JobQueue | null =
    typeof runner === "function"
      ? runner(prisma)
      : runner === "in-process"
        ? new InProcessJobQueue(prisma, { onProgress: publishProgress, log: (m) => console.log(m) })
        : null;
  // label edits rescore their unit a few seconds after the last one (LABEL_RESCORE_DELAY_MS, default 3000; 0 = off)
  const rescoreDelay = opts.labelRescoreDelayMs ?? Number(process.env.LABEL_RESCORE_DELAY_MS ?? 3000);
  const pubsub =
    rescoreDelay > 0
      ? withLabelRescoring(annotationEvents, prisma, queue, { delayMs: rescoreDelay, log: (m) => log(m, null) }).pubsub
      : annotationEvents;
  const deps: ContextDeps = { prisma, pubsub, jobs: { queue, progress: jobPubsub } };
  const schema = await buildApiSchema();
  const formatError = createErrorFormatter(log);
  const queryLimits = opts.queryLimits ?? queryLimitsFromEnv();
  const hideSuggestions = !queryLimits.introspection || process.env.NODE_ENV === "production";
  const ownLimiter = opts.rateLimit !== false && !opts.rateLimit?.limiter ? createRateLimiterFromEnv().limiter : null;
  const hardening: Hardening = {
    queryLimits,
    trusted: queryLimits.trustedDocumentsFile ? loadTrustedDocuments(queryLimits.trustedDocumentsFile) : null,
    limits:
      opts.rateLimit === false
        ? null
        : createRequestLimits(
            opts.rateLimit?.limiter ?? ownLimiter!,
            opts.rateLimit?.config ?? rateLimitConfigFromEnv(),
          ),
  };
  // failed sign-ins per account (LOGIN_MAX_FAILURES): the request limiter's backend, in memory when limits are off
  const givenLimiter = opts.rateLimit ? opts.rateLimit.limiter : undefined;
  deps.loginThrottle = createLoginThrottle(givenLimiter ?? ownLimiter ?? createMemoryRateLimiter());

  const apollo = new ApolloServer<ApiContext>({
    schema,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError,
    introspection: true, // switched by queryLimits.introspection in the query guard (INTROSPECTION_DISABLED)
    // automatic persisted queries are off (trusted documents use `documentId`): any `persistedQuery`
    // extension is answered PERSISTED_QUERY_NOT_SUPPORTED instead of reaching Apollo's APQ cache
    persistedQueries: false,
    // "Did you mean …?" suggestions reveal the schema: dropped in production and whenever introspection is off
    hideSchemaDetailsFromClientErrors: hideSuggestions,
    // a response over GRAPHQL_MAX_RESPONSE_BYTES becomes one RESPONSE_TOO_LARGE error
    stringifyResult: (result) => stringifyWithinLimit(result, queryLimits.maxResponseBytes),
    // cache control is off: nothing sets cache hints, and its per-field instrumentation cost every resolver
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      queryGuardPlugin(queryLimits),
      nulGuardPlugin<ApiContext>(),
    ],
    logger: {
      debug: () => {},
      info: () => {},
      warn: (m) => log("apollo warning", m),
      error: (m) => log("apollo error", m),
    },
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
  const handler = createHttpHandler({
    apollo,
    context: httpContext,
    bodyLimit,
    log,
    limits: hardening.limits,
    trusted: hardening.trusted,
    precheck: (method, url, body) => precheckHttpRequest(schema, queryLimits, method, url, body),
    exampleImage: async (id) => (await exampleImages(prisma, [id]))[0],
  });
  // MMATLAS_DIAGNOSTICS=1 (benchmarks, never in production): loop delay, GC, statement and pool timings at /__diagnostics
  const diagnostics = diagnosticsFromEnv();
  const driver = sqlDriverOf(prisma);
  if (diagnostics && driver?.kind === "postgres") diagnostics.instrumentPool(driver.pool);
  const server = createServer(diagnostics ? diagnostics.wrap(handler) : handler);
  const guard = guardSubscribe(schema, hardening, { hideSuggestions });

  const wss = new WebSocketServer({ noServer: true, maxPayload: bodyLimit });
  type WsExtra = {
    socket: unknown;
    request: IncomingMessage;
    auth?: { actor: ApiContext["actor"]; secret: string | null };
  };
  const wsServer = useServer<Record<string, unknown> | undefined, WsExtra>(
    {
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
      onSubscribe: (ctx, _id, payload) => guard(payload, ctx.extra.request, authorizationParam(ctx.connectionParams)),
      context: (ctx) => createContext(deps, ctx.extra.auth?.actor ?? null, ctx.extra.auth?.secret ?? null),
      onNext: (_ctx, _id, _payload, _args, result) =>
        withinLimit(
          result.errors ? { ...result, errors: result.errors.map((e) => formatGraphQLError(formatError, e)) } : result,
          queryLimits.maxResponseBytes,
        ),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatGraphQLError(formatError, e)),
    },
    wss,
  );
  const upgrades = attachUpgradeRouter(server);
  upgrades.route(GRAPHQL_PATH, (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req)),
  );
  const collab = createCollabServer({ prisma, pubsub, ...opts.collab, log: (m, e) => log(m, e) });
  const collabWss = new WebSocketServer({ noServer: true, maxPayload: bodyLimit });
  upgrades.route(COLLAB_PATH, (req, socket, head) =>
    collabWss.handleUpgrade(req, socket, head, (ws) => collab.handleConnection(ws, req)),
  );
  // the co-labeling queries run once now, not during the first store (COLLAB_WARMUP=0 skips it: bench:collab-first-store)
  if (process.env.COLLAB_WARMUP !== "0") await collab.warmUp();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  await queue?.start();
  const host = opts.host && opts.host !== "0.0.0.0" && opts.host !== "::" ? opts.host : "127.0.0.1";
  const hostForUrl = host.includes(":") ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${port}${GRAPHQL_PATH}`,
    wsUrl: `ws://${hostForUrl}:${port}${GRAPHQL_PATH}`,
    collabUrl: `ws://${hostForUrl}:${port}${COLLAB_PATH}`,
    port,
    prisma,
    upgrades,
    collab,
    close: () =>
      (closing ??= (async () => {
        // first: every collaborative document into the database (clients keep unsaved edits and resend them)
        await collab.close();
        for (const client of collabWss.clients) client.terminate();
        await new Promise<void>((resolve) => collabWss.close(() => resolve()));
        await queue?.stop();
        await wsServer.dispose();
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await pubsub.close();
        await jobPubsub.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await apollo.stop();
        await ownLimiter?.close();
        await db?.close();
        diagnostics?.stop();
      })()),
  };
}
