// The plain node:http request handler: /graphql goes to Apollo Server (executeHTTPGraphQLRequest) with a
// body size limit; /health answers ok; anything else is 404. Failures outside GraphQL answer JSON errors.
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer } from "@apollo/server";
import { isAppError } from "@mmatlas/errors";
import type { ApiContext } from "./context";
import { applyCors } from "./cors";
import { INTERNAL_MESSAGE, type ErrorLogger } from "./errors";

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) { reject(new BodyTooLarge()); req.resume(); return; }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJsonError(res: ServerResponse, status: number, code: string, message: string) {
  if (res.headersSent) { res.end(); return; }
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...(status === 413 ? { connection: "close" } : {}) });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

export interface HttpHandlerOptions {
  apollo: ApolloServer<ApiContext>;
  /** builds the context for a request; throws for a bad Authorization header */
  context: (req: IncomingMessage) => Promise<ApiContext>;
  bodyLimit: number;
  log: ErrorLogger;
}

export function createHttpHandler(opts: HttpHandlerOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname === "/health") {
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
        return;
      }
      if (url.pathname !== "/graphql") return sendJsonError(res, 404, "NOT_FOUND", `no route ${url.pathname}`);
      if (applyCors(req, res)) return;

      let body: unknown;
      if (req.method === "POST") {
        const text = await readBody(req, opts.bodyLimit);
        const type = (req.headers["content-type"] ?? "").toLowerCase();
        if (type.startsWith("application/json") || type.includes("+json")) {
          try { body = text.length ? JSON.parse(text) : undefined; } catch {
            return sendJsonError(res, 400, "BAD_REQUEST", "request body is not valid JSON");
          }
        } else body = text;
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
      res.statusCode = result.status ?? 200;
      if (result.body.kind === "complete") {
        res.end(result.body.string);
        return;
      }
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (e) {
      if (e instanceof BodyTooLarge) return sendJsonError(res, 413, "PAYLOAD_TOO_LARGE", `request body exceeds ${opts.bodyLimit} bytes`);
      if (isAppError(e) && e.code !== "INTERNAL") return sendJsonError(res, 400, e.code, e.message);
      opts.log("HTTP handler failed", e);
      sendJsonError(res, 500, "INTERNAL_SERVER_ERROR", INTERNAL_MESSAGE);
    }
  };
}
