// The client address of a request for rate limiting. Without trusted proxies it is the socket address. Behind
// `hops` trusted proxies (RATE_LIMIT_TRUST_PROXY=<n>) it is the right-most X-Forwarded-For entry that no trusted
// proxy wrote, as Express's numeric `trust proxy` picks it: each proxy appends the address it saw, so entries to
// the left of the n-th from the right are client-supplied and never trusted. An address taken from the header
// is marked `forwarded` so that it is never exempt from limits (a client could write "127.0.0.1" there).
import { isIP } from "node:net";

export interface ClientAddress {
  ip: string;
  /** true when `ip` came from X-Forwarded-For (never exempt), false when it is the socket address */
  forwarded: boolean;
}

const plain = (address: string) => address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");

/** The X-Forwarded-For entries, left (client-supplied) to right (appended by the nearest proxy). */
export function forwardedForEntries(header: string | string[] | undefined): string[] {
  if (!header) return [];
  return (Array.isArray(header) ? header.join(",") : header)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The client address, trusting `hops` proxies in front of this server (0: none, X-Forwarded-For ignored).
 * Like Express: addresses = [socket, XFF right to left]; the client is addresses[hops], or the left-most one
 * when the header is shorter. An entry that is not an IP address is reported as "invalid:<entry>" (limited
 * like any other key, never exempt).
 */
export function clientAddress(
  remoteAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  hops: number,
): ClientAddress {
  const socket = plain(remoteAddress ?? "") || "unknown";
  if (hops <= 0) return { ip: socket, forwarded: false };
  const chain = [socket, ...forwardedForEntries(forwardedFor).reverse()];
  const index = Math.min(hops, chain.length - 1);
  if (index === 0) return { ip: socket, forwarded: false };
  const entry = plain(chain[index]);
  return { ip: isIP(entry) ? entry : `invalid:${entry.slice(0, 64)}`, forwarded: true };
}
