// The plain node:http request handler: /graphql goes to Apollo Server (executeHTTPGraphQLRequest) with a
// body size limit (an oversized body is read to its end, up to a cap, and answered 413 PAYLOAD_TOO_LARGE, so
// the client gets the answer instead of a reset connection), UTF-8 check, per-IP/per-token rate limits
// (429 + RATE_LIMITED) and optional trusted documents; /health answers ok; /images/examples/<id> serves an example's PNG (rate-limited like /graphql); anything else is 404. Failures
// outside GraphQL answer JSON errors.
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer } from "@apollo/server";
import { isAppError } from "@mmatlas/errors";
import type { TrustedDocuments } from "@mmatlas/query-guard";
import type { RequestLimits } from "@mmatlas/ratelimit";
import { formatBytes } from "@mmatlas/probe";
import { GraphQLError } from "graphql";
import type { ApiContext } from "./context";
import { applyCors } from "./cors";
import { INTERNAL_MESSAGE, type ErrorLogger } from "./errors";
import { rateLimitMessage, requestIdentity } from "./hardening";

/** An oversized body is read and thrown away up to this many bytes (then answered); beyond, the connection is closed. */
export const DISCARD_CAP = 64 * 1024 * 1024;

/** `drained`: the whole body was read, so the 413 answer reaches the client and the connection stays usable. */
class BodyTooLarge extends Error {
  constructor(readonly drained: boolean) {
    super("body too large");
  }
}
class BodyNotUtf8 extends Error {}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    const cap = Math.max(DISCARD_CAP, limit);
    if (Number.isFinite(declared) && declared > cap) {
      req.resume();
      return reject(new BodyTooLarge(false));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      }
      if (size > cap) {
        reject(new BodyTooLarge(false));
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) return reject(new BodyTooLarge(true));
      try {
        resolve(utf8.decode(Buffer.concat(chunks)));
      } catch {
        reject(new BodyNotUtf8());
      }
    });
    req.on("error", reject);
  });
}

function sendJsonError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] }));
}

/** The 413 answer; when the body was not read to its end the connection cannot be reused and is closed. */
function sendTooLarge(res: ServerResponse, limit: number, drained: boolean) {
  sendJsonError(
    res,
    413,
    "PAYLOAD_TOO_LARGE",
    `request body is larger than the API accepts (${limit} bytes, ${formatBytes(limit)}; API_MAX_BODY_BYTES)`,
    { limit },
    drained ? {} : { connection: "close" },
  );
}

export interface HttpHandlerOptions {
  apollo: ApolloServer<ApiContext>;
  /** builds the context for a request; throws for a bad Authorization header */
  context: (req: IncomingMessage) => Promise<ApiContext>;
  bodyLimit: number;
  log: ErrorLogger;
  /** per-IP / per-token request limits (null: unlimited) */
  limits?: RequestLimits | null;
  /** when set, only these documents run */
  trusted?: TrustedDocuments | null;
  /** the query limits, checked before Apollo validates the request: the refusal, or null */
  precheck?: (method: string, url: URL, body: unknown) => GraphQLError | null;
  /** PNG bytes of an example image by example id (null: none), served at EXAMPLE_IMAGE_PATH<id> */
  exampleImage?: (exampleId: string) => Promise<Uint8Array | null>;
}

/** Where example images are served (Example.imageUrl): GET /images/examples/<example id>. */
export const EXAMPLE_IMAGE_PATH = "/images/examples/";

/** Replaces query/documentId by the trusted query text; throws DOCUMENT_NOT_TRUSTED (GraphQLError). */
function applyTrustedDocuments(trusted: TrustedDocuments, method: string, url: URL, body: unknown): unknown {
  if (method === "GET") {
    const query = trusted.resolve({
      query: url.searchParams.get("query") ?? undefined,
      documentId: url.searchParams.get("documentId") ?? undefined,
    });
    url.searchParams.set("query", query);
    url.searchParams.delete("documentId");
    return body;
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return body; // Apollo answers malformed bodies
  const { documentId: _id, ...rest } = body as Record<string, unknown>;
  return { ...rest, query: trusted.resolve(body as Record<string, unknown>) };
}

/** An example's PNG (immutable under its id: cached a day by browsers), 404 when there is none. */
async function sendExampleImage(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  load: (id: string) => Promise<Uint8Array | null>,
): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD")
    return sendJsonError(res, 405, "METHOD_NOT_ALLOWED", "images are read with GET");
  let id: string;
  try {
    id = decodeURIComponent(url.pathname.slice(EXAMPLE_IMAGE_PATH.length));
  } catch {
    id = "";
  }
  const bytes = id && id.length <= 200 && !id.includes("/") ? await load(id) : null;
  if (!bytes) return sendJsonError(res, 404, "NOT_FOUND", "no such example image");
  res.writeHead(200, {
    "content-type": "image/png",
    "content-length": String(bytes.length),
    "cache-control": "public, max-age=86400, immutable",
    "x-content-type-options": "nosniff",
  });
  res.end(req.method === "HEAD" ? undefined : bytes);
}

export function createHttpHandler(opts: HttpHandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname === "/health") {
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
        return;
      }
      const image = opts.exampleImage && url.pathname.startsWith(EXAMPLE_IMAGE_PATH);
      if (url.pathname !== "/graphql" && !image)
        return sendJsonError(res, 404, "NOT_FOUND", `no route ${url.pathname}`);
      if (!image && applyCors(req, res)) return;
      if (opts.limits) {
        const verdict = await opts.limits.check(requestIdentity(req, opts.limits));
        if (Number.isFinite(verdict.remaining)) {
          res.setHeader("ratelimit-limit", String(verdict.limit));
          res.setHeader("ratelimit-remaining", String(verdict.remaining));
        }
        if (!verdict.allowed) {
          req.resume(); // drain the body; the connection stays usable
          return sendJsonError(
            res,
            429,
            "RATE_LIMITED",
            rateLimitMessage(verdict),
            { retryAfter: verdict.retryAfterSeconds, scope: verdict.scope },
            { "retry-after": String(verdict.retryAfterSeconds) },
          );
        }
      }

      if (image) return await sendExampleImage(req, res, url, opts.exampleImage!);

      let body: unknown;
      if (req.method === "POST") {
        const text = await readBody(req, opts.bodyLimit);
        const type = (req.headers["content-type"] ?? "").toLowerCase();
        if (type.startsWith("application/json") || type.includes("+json")) {
          try {
            body = text.length ? JSON.parse(text) : undefined;
          } catch {
            return sendJsonError(res, 400, "BAD_REQUEST", "request body is not valid JSON");
          }
        } else body = text;
      }
      if (opts.trusted) {
        try {
          body = applyTrustedDocuments(opts.trusted, req.method ?? "GET", url, body);
        } catch (e) {
          if (e instanceof GraphQLError) return sendJsonError(res, 400, String(e.extensions.code), e.message);
          throw e;
        }
      }
      const refused = opts.precheck?.(req.method ?? "GET", url, body);
      if (refused) {
        const { code, http: _http, ...extensions } = refused.extensions;
        return sendJsonError(res, 400, String(code), refused.message, extensions);
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
      }
      const result = await opts.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
        context: () => opts.context(req),
      });
      for (const [key, value] of result.headers) res.setHeader(key, value);
      // answers depend on who asks and change with every edit: never cached (Apollo's cache control is off)
      if (!res.hasHeader("cache-control")) res.setHeader("cache-control", "no-store");
      res.statusCode = result.status ?? 200;
      if (result.body.kind === "complete") {
        res.end(result.body.string);
        return;
      }
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (e) {
      if (e instanceof BodyTooLarge) return sendTooLarge(res, opts.bodyLimit, e.drained);
      if (e instanceof BodyNotUtf8) return sendJsonError(res, 400, "BAD_REQUEST", "request body is not valid UTF-8");
      if (isAppError(e) && e.code !== "INTERNAL") return sendJsonError(res, 400, e.code, e.message);
      opts.log("HTTP handler failed", e);
      sendJsonError(res, 500, "INTERNAL_SERVER_ERROR", INTERNAL_MESSAGE);
    }
  };
}
