// Where to send the user after signing in (?next=): only a path on this site. Anything that a browser would
// resolve to another origin ("//evil.example", "/\evil.example", "https://…", tabs or newlines hidden in it)
// or that is not a path at all falls back to "/".
const BASE = "http://mmatlas.invalid";

/** `next` as a same-origin path (pathname + search + hash), or "/" when it is missing or could leave the site. */
export function safeNextPath(next: string | null | undefined): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//")) return "/";
  // browsers read "\" as "/" and drop tabs and newlines in URLs: refuse rather than guess
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
