// Explains bench:api's slowest requests with the API's diagnostics (apps/api/src/diagnostics.ts): each slow
// request is matched with the server events that overlap its lifetime [due, due + latency] (GC pauses, loop
// blocks, slow statements, pool waits); its cause is the longest of them, where a loop block that overlaps a GC
// pause counts as GC and a statement that spent most of its time waiting for a connection as a pool wait. Pure functions over the two lists, so the attribution can be checked by hand.

import type { StallEvent } from "../../../apps/api/src/diagnostics";

export type { StallEvent };
export interface SlowRequest {
  at: number;
  ms: number;
}

export type StallCause = "GC" | "blocked loop" | "slow statement" | "pool wait" | "none seen (queueing or client)";

export interface ExplainedRequest extends SlowRequest {
  cause: StallCause;
  /** the overlapping events, longest first, as "kind ms detail" */
  evidence: string[];
}

const overlaps = (a: { at: number; ms: number }, b: { at: number; ms: number }) =>
  a.at < b.at + b.ms && b.at < a.at + a.ms;

/** The cause of one event: a loop block during a GC pause is that pause. */
function causeOf(e: StallEvent, events: StallEvent[]): StallCause {
  if (e.kind === "gc") return "GC";
  if (e.kind === "statement") return (e.waitMs ?? 0) > e.ms / 2 ? "pool wait" : "slow statement";
  if (e.kind === "pool-wait") return "pool wait";
  return events.some((g) => g.kind === "gc" && overlaps(g, e)) ? "GC" : "blocked loop";
}

/** Each slow request with the events overlapping it and its cause (the longest overlapping event's). */
export function explainSlowRequests(requests: SlowRequest[], events: StallEvent[]): ExplainedRequest[] {
  return requests.map((r) => {
    const seen = events.filter((e) => overlaps(e, r)).sort((a, b) => b.ms - a.ms);
    const cause: StallCause = seen.length ? causeOf(seen[0], events) : "none seen (queueing or client)";
    return {
      ...r,
      cause,
      evidence: seen
        .slice(0, 3)
        .map((e) => `${e.kind} ${e.ms} ms${e.waitMs ? ` (${e.waitMs} waiting)` : ""} ${e.detail}`),
    };
  });
}

/** The longest server events with their cause (a loop block during GC is reported as GC). */
export function worstStalls(events: StallEvent[], n: number): (StallEvent & { cause: StallCause })[] {
  return [...events]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n)
    .map((e) => ({ ...e, cause: causeOf(e, events) }));
}
