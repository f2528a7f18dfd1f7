// The two GraphQL requests of bench:api and their deterministic request mixes (shared by the benchmark process
// and the steady-load child process, lib/open-loop-child.ts).
import { LABEL_WORDS } from "../seed-api";

export const UNIT_PAGE = `query UnitPage($id: ID!) { unit(id: $id) { id slug kind index labelState currentLabel topAutoLabel
  model { name } hookPoint { name layer }
  stats { maxActivation density histogram { edges counts } }
  autoLabels { label score method }
  topActivations(limit: 20) { rank maxValue values example { id text tags } }
  annotations { id label status voteScore } comments { id body } } }`;
export const LABEL_SEARCH = `query LabelSearch($s: String!) { units(filter: { search: $s }, first: 20) {
  edges { node { id slug currentLabel topAutoLabel labelState } } pageInfo { hasNextPage endCursor } } }`;

/** Deterministic pseudo-random numbers (mulberry32) so every run sends the same request mix. */
export function rng(seed: number) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Search terms: a common word (1/16 of units), an exact auto-label pair (1/256), a rare current label, a miss. */
export function searchTerm(r: () => number, units: number): string {
  const w = () => LABEL_WORDS[Math.floor(r() * LABEL_WORDS.length)];
  const k = r();
  if (k < 0.25) return w();
  if (k < 0.5) return `${w()} ${w()}`;
  if (k < 0.75) return `detector ${Math.floor(r() * (units / 10)) * 10}`;
  return `zebra${Math.floor(r() * 1000)}`;
}

export type ScenarioName = "unit page" | "label search";
export interface Scenario { query: string; name: ScenarioName; body: (r: () => number) => string }

export function scenarios(units: number): Scenario[] {
  return [
    { query: UNIT_PAGE, name: "unit page", body: (r) => JSON.stringify({ query: UNIT_PAGE, variables: { id: `bu${Math.floor(r() * units)}` } }) },
    { query: LABEL_SEARCH, name: "label search", body: (r) => JSON.stringify({ query: LABEL_SEARCH, variables: { s: searchTerm(r, units) } }) },
  ];
}
