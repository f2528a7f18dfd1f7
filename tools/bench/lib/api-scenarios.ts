// The GraphQL requests of bench:api and their deterministic request mixes (shared by the benchmark process and
// the steady-load child process, lib/open-loop-child.ts): on the 1M-unit bench atlas the unit page and label
// search; on the ViT-B/32-geometry atlas (--atlas large, seed-large-atlas.ts) the unit page and the model page; on
// the atlas bench:large built and kept (--atlas built, built-atlas.ts) the same two, with the build's own ids.
import { LABEL_WORDS } from "../seed-api";
import { GEOMETRY, LARGE_MODEL, UNIT_PREFIX } from "../seed-large-atlas";
import { neuronSlug, type BuiltAtlas } from "./built-atlas";

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
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
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

/** The model page's data in one request: the model with hook points, SAEs and labeling progress (the web's
 *  ModelAtlas query) and the first page of its units with their total (AtlasUnits). */
export const MODEL_PAGE = `query ModelPage($id: ID!, $filter: UnitFilter) {
  model(id: $id) { id name displayName description architecture imageGridSize
    hookPoints { id name tower layer kind width }
    dictionaries { id name hookPointId architecture dSae unitCount buildStatus builtAt }
    labelingProgress { hookPointId dictionaryId kind total labeled disputed unlabeled } }
  units(filter: $filter, first: 50) { totalCount
    edges { cursor node { id slug kind index labelState currentLabel topAutoLabel hookPoint { id name } dictionary { id name } stats { maxActivation density multimodalScore } } }
    pageInfo { hasNextPage endCursor } } }`;

export type ScenarioName = "unit page" | "label search" | "model page";
export type AtlasName = "bench" | "large" | "built";
export interface Scenario {
  query: string;
  name: ScenarioName;
  body: (r: () => number) => string;
}

/** A large-atlas MLP hook point id (seed-large-atlas.ts naming): `r` picks tower and layer. */
function largeMlpHook(r: () => number): string {
  const tower = r() < 0.5 ? "vision" : "text";
  return `${UNIT_PREFIX}h-${tower}-${String(Math.floor(r() * GEOMETRY.vision.layers)).padStart(2, "0")}-mlp`;
}

/** The built atlas's unit page (a neuron by its slug: random MLP hook, random index) and model page. */
function builtScenarios(built: BuiltAtlas): Scenario[] {
  const hook = (r: () => number) => built.mlpHooks[Math.floor(r() * built.mlpHooks.length)];
  return [
    {
      query: UNIT_PAGE,
      name: "unit page",
      body: (r) => {
        const h = hook(r);
        return JSON.stringify({ query: UNIT_PAGE, variables: { id: neuronSlug(built, h, Math.floor(r() * h.units)) } });
      },
    },
    {
      query: MODEL_PAGE,
      name: "model page",
      body: (r) => {
        const model = { modelId: built.modelId };
        const filter = r() < 0.5 ? model : { ...model, hookPointId: hook(r).id, kind: "NEURON" };
        return JSON.stringify({ query: MODEL_PAGE, variables: { id: built.modelId, filter } });
      },
    },
  ];
}

/** `units`: the number of units whose pages are asked for (bench: all; large: the MLP neurons, ids lg0..);
 *  `built`: the built atlas (required for atlas "built"). */
export function scenarios(units: number, atlas: AtlasName = "bench", built?: BuiltAtlas): Scenario[] {
  if (atlas === "built") {
    if (!built) throw new Error(`atlas "built" needs the built atlas (readBuiltAtlas)`);
    return builtScenarios(built);
  }
  if (atlas === "large")
    return [
      {
        query: UNIT_PAGE,
        name: "unit page",
        body: (r) =>
          JSON.stringify({ query: UNIT_PAGE, variables: { id: `${UNIT_PREFIX}${Math.floor(r() * units)}` } }),
      },
      {
        query: MODEL_PAGE,
        name: "model page",
        body: (r) =>
          JSON.stringify({
            query: MODEL_PAGE,
            variables: {
              id: LARGE_MODEL,
              filter:
                r() < 0.5
                  ? { modelId: LARGE_MODEL }
                  : { modelId: LARGE_MODEL, hookPointId: largeMlpHook(r), kind: "NEURON" },
            },
          }),
      },
    ];
  return [
    {
      query: UNIT_PAGE,
      name: "unit page",
      body: (r) => JSON.stringify({ query: UNIT_PAGE, variables: { id: `bu${Math.floor(r() * units)}` } }),
    },
    {
      query: LABEL_SEARCH,
      name: "label search",
      body: (r) => JSON.stringify({ query: LABEL_SEARCH, variables: { s: searchTerm(r, units) } }),
    },
  ];
}
