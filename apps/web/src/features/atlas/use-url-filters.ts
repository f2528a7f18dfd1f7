"use client";
// The atlas browser's filters kept in the URL query (?hook=&dict=&kind=&state=&q=&sort=&min=&max=), so views are
// shareable (sort / min / max: the best-score controls, score-filters.ts).
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";
import type { LabelState, UnitKind } from "../../gql/graphql";
import { scoreBoundFromParam, scoreSortFromParam, type ScoreSortParam } from "./score-filters";

export interface AtlasFilters {
  hook: string | null;
  dict: string | null;
  kind: UnitKind | null;
  state: LabelState | null;
  q: string;
  sort: ScoreSortParam;
  min: number | null;
  max: number | null;
}

const KINDS: UnitKind[] = ["NEURON", "SAE_FEATURE", "ATTENTION_HEAD"];
const STATES: LabelState[] = ["UNLABELED", "LABELED", "DISPUTED"];

export function useUrlFilters(): [AtlasFilters, (patch: Partial<AtlasFilters>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const path = usePathname();
  const kind = params.get("kind") as UnitKind | null;
  const state = params.get("state") as LabelState | null;
  const filters: AtlasFilters = {
    hook: params.get("hook"),
    dict: params.get("dict"),
    kind: kind && KINDS.includes(kind) ? kind : null,
    state: state && STATES.includes(state) ? state : null,
    q: params.get("q") ?? "",
    sort: scoreSortFromParam(params.get("sort")),
    min: scoreBoundFromParam(params.get("min")),
    max: scoreBoundFromParam(params.get("max")),
  };
  const update = useCallback(
    (patch: Partial<AtlasFilters>) => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(patch)) {
        if (value === null || value === undefined || value === "") next.delete(key);
        else next.set(key, String(value));
      }
      const qs = next.toString();
      router.replace(qs ? `${path}?${qs}` : path, { scroll: false });
    },
    [params, router, path],
  );
  return [filters, update];
}
