"use client";
// Sidebar of the atlas browser: the model's hook points by tower and layer, each with its unit sets
// (neurons, SAE features per dictionary, attention heads) and their labeling progress; click to filter.
import type { UnitKind } from "../../gql/graphql";
import type { DictionaryRow, HookPointRow, ProgressRow } from "./atlas-queries";
import { sumProgress } from "./progress";
import { ProgressBar } from "./ProgressBar";
import type { AtlasFilters } from "./use-url-filters";

const shortHook = (name: string) => name.replace(/^(vision|text)\./, "");
const SET_LABEL: Record<UnitKind, string> = { NEURON: "neurons", SAE_FEATURE: "SAE features", ATTENTION_HEAD: "heads" };

export function HookPointTree({
  hookPoints,
  dictionaries,
  progress,
  filters,
  onSelect,
}: {
  hookPoints: HookPointRow[];
  dictionaries: DictionaryRow[];
  progress: ProgressRow[];
  filters: AtlasFilters;
  onSelect: (patch: Partial<AtlasFilters>) => void;
}) {
  const towers = (["VISION", "TEXT"] as const).map((t) => ({
    tower: t,
    hooks: hookPoints.filter((h) => h.tower === t).sort((a, b) => a.layer - b.layer || a.name.localeCompare(b.name)),
  }));
  const dictName = new Map(dictionaries.map((d) => [d.id, d.name]));
  return (
    <nav className="hook-tree" aria-label="Hook points">
      <button
        type="button"
        className={`hook-tree__all ${filters.hook ? "" : "is-active"}`}
        onClick={() => onSelect({ hook: null, dict: null, kind: null })}
      >
        All units <span className="muted small">{sumProgress(progress).total.toLocaleString("en-US")}</span>
      </button>
      {towers
        .filter((t) => t.hooks.length)
        .map(({ tower, hooks }) => (
          <div key={tower} className="hook-tree__tower">
            <h3>{tower === "VISION" ? "Vision tower" : "Text tower"}</h3>
            <ul>
              {hooks.map((h) => {
                const sets = progress.filter((p) => p.hookPointId === h.id);
                if (sets.length === 0) {
                  return (
                    <li key={h.id} className="hook-tree__bare muted small" title={`${h.name}: no units built yet`}>
                      <code>{shortHook(h.name)}</code>
                    </li>
                  );
                }
                return (
                  <li key={h.id} className="hook-tree__hook" data-testid="hook-point">
                    <div className="hook-tree__hook-name" title={h.name}>
                      <code>{shortHook(h.name)}</code>
                    </div>
                    {sets.map((p) => {
                      const active =
                        filters.hook === h.id &&
                        (filters.dict ?? null) === (p.dictionaryId ?? null) &&
                        filters.kind === p.kind;
                      const dict = p.dictionaryId ? (dictName.get(p.dictionaryId) ?? "SAE") : null;
                      return (
                        <button
                          key={`${p.dictionaryId}-${p.kind}`}
                          type="button"
                          className={`hook-tree__set ${active ? "is-active" : ""}`}
                          data-testid="unit-set"
                          onClick={() => onSelect({ hook: h.id, dict: p.dictionaryId, kind: p.kind })}
                          title={dict ? `SAE ${dict}` : undefined}
                        >
                          <span className="hook-tree__set-name">
                            {SET_LABEL[p.kind]}
                            {dict ? <span className="muted"> · {dict.split(".").pop()}</span> : null}
                          </span>
                          <span className="muted small">
                            {p.labeled + p.disputed}/{p.total}
                          </span>
                          <ProgressBar totals={p} />
                        </button>
                      );
                    })}
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
    </nav>
  );
}
