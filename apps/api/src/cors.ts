// CORS for /graphql: the web app (another origin, e.g. :3000) calls the API (:4000) from the browser.
// Auth is a bearer Authorization header (no cookies), so any origin may call unless CORS_ORIGINS
// (comma-separated list of origins) restricts it. Answers preflight OPTIONS requests with 204.
import type { IncomingMessage, ServerResponse } from "node:http";

const ALLOWED_HEADERS = "content-type, authorization, apollo-require-preflight, x-apollo-operation-name";

function allowedOrigin(origin: string | undefined, allowList: string[] | null): string | null {
  if (!allowList) return "*";
  return origin && allowList.includes(origin) ? origin : null;
}

export function corsAllowList(env = process.env.CORS_ORIGINS): string[] | null {
  const list = (env ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length ? list : null;
}

/** Sets the CORS headers; returns true when the request was a preflight and has been answered. */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowList = corsAllowList()): boolean {
  const origin = allowedOrigin(req.headers.origin, allowList);
  if (origin) {
    res.setHeader("access-control-allow-origin", origin);
    if (origin !== "*") res.setHeader("vary", "origin");
  }
  if (req.method !== "OPTIONS") return false;
  if (origin) {
    res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
    res.setHeader("access-control-allow-headers", ALLOWED_HEADERS);
    res.setHeader("access-control-max-age", "600");
  }
  res.writeHead(204).end();
  return true;
}
