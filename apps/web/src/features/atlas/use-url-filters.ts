"use client";
// The atlas browser's filters kept in the URL query (?hook=&dict=&kind=&state=&q=), so views are shareable.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";
import type { LabelState, UnitKind } from "./atlas-queries";

export interface AtlasFilters { hook: string | null; dict: string | null; kind: UnitKind | null; state: LabelState | null; q: string }

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
  };
  const update = useCallback((patch: Partial<AtlasFilters>) => {
    const next = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(patch)) {
      if (value === null || value === undefined || value === "") next.delete(key); else next.set(key, String(value));
    }
    const qs = next.toString();
    router.replace(qs ? `${path}?${qs}` : path, { scroll: false });
  }, [params, router, path]);
  return [filters, update];
}
