"use client";
// One model's atlas: overall labeling progress, its SAEs (built or not, with a Build button for admins), hook
// points with their unit sets (sidebar), and the unit list filtered by unit set, kind, label state and label /
// auto-label text, sortable and filterable by best label score (score-filters.ts); filters live in the URL.
import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { useQuery } from "urql";
import { MODEL_ATLAS_QUERY } from "./atlas-queries";
import { HookPointTree } from "./HookPointTree";
import { LabelScoringControl } from "./LabelScoringControl";
import { labeledShare, sumProgress } from "./progress";
import { ProgressBar } from "./ProgressBar";
import { SaeList } from "./SaeList";
import { UnitSetMap } from "./UnitSetMap";
import { unitScoreQuery } from "./score-filters";
import { UnitTable } from "./UnitTable";
import { useUrlFilters } from "./use-url-filters";
import "./atlas.css";

export function AtlasBrowser({ modelId }: { modelId: string }) {
  const [{ data, error }, reexecute] = useQuery({ query: MODEL_ATLAS_QUERY, variables: { id: modelId } });
  // after an SAE build: re-read the model (SAE states, unit sets) and remount the unit list (its cached pages predate the build)
  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => {
    reexecute({ requestPolicy: "network-only" });
    setGeneration((g) => g + 1);
  }, [reexecute]);
  const [filters, update] = useUrlFilters();
  const [search, setSearch] = useState(filters.q);
  useEffect(() => {
    const t = setTimeout(() => {
      if (search !== filters.q) update({ q: search.trim() });
    }, 300);
    return () => clearTimeout(t);
  }, [search, filters.q, update]);

  if (error && !data)
    return (
      <div className="notice notice--error" role="alert">
        <p>
          <strong>Could not load the model</strong>
        </p>
        <p className="muted">{error.message}</p>
      </div>
    );
  if (!data)
    return (
      <p className="muted" role="status">
        Loading model…
      </p>
    );
  const model = data.model;
  const totals = sumProgress(model.labelingProgress);
  const unitFilter = {
    modelId: model.id,
    hookPointId: filters.hook,
    dictionaryId: filters.dict,
    kind: filters.kind,
    labelState: filters.state,
    search: filters.q || null,
  };
  const scoreQuery = unitScoreQuery({ sort: filters.sort, min: filters.min, max: filters.max, search: filters.q });
  const scoredFilter = { ...unitFilter, minBestScore: scoreQuery.minBestScore, maxBestScore: scoreQuery.maxBestScore };

  return (
    <div className="atlas">
      <header className="atlas__header">
        <p className="crumbs muted">
          <Link href="/">Models</Link> › <code>{model.name}</code>
        </p>
        <h1>{model.displayName}</h1>
        <div className="atlas__progress" data-testid="model-progress">
          <ProgressBar totals={totals} label="labeling progress" />
          <span className="muted small">
            <strong>{(labeledShare(totals) * 100).toFixed(1)}%</strong> labeled · {totals.labeled} labeled ·{" "}
            {totals.disputed} disputed · {totals.unlabeled.toLocaleString("en-US")} unlabeled of{" "}
            {totals.total.toLocaleString("en-US")} units
          </span>
          <Link href={`/queue?model=${encodeURIComponent(model.id)}`} className="button button--small button--primary">
            Start labeling
          </Link>
        </div>
      </header>
      <LabelScoringControl modelId={model.id} refreshKey={generation} onScored={refresh} />
      <SaeList modelId={model.id} dictionaries={model.dictionaries} hookPoints={model.hookPoints} onBuilt={refresh} />
      <div className="atlas__body">
        <HookPointTree
          hookPoints={model.hookPoints}
          dictionaries={model.dictionaries}
          progress={model.labelingProgress}
          filters={filters}
          onSelect={update}
        />
        <section className="atlas__units" aria-label="Units">
          <div className="filter-bar">
            <input
              className="input filter-bar__search"
              type="search"
              placeholder="Search labels and auto-labels…"
              aria-label="search labels"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <select
              className="input"
              aria-label="kind"
              value={filters.kind ?? ""}
              onChange={(e) => update({ kind: (e.target.value || null) as never })}
            >
              <option value="">all kinds</option>
              <option value="NEURON">neurons</option>
              <option value="SAE_FEATURE">SAE features</option>
              <option value="ATTENTION_HEAD">attention heads</option>
            </select>
            <select
              className="input"
              aria-label="label state"
              value={filters.state ?? ""}
              onChange={(e) => update({ state: (e.target.value || null) as never })}
            >
              <option value="">any state</option>
              <option value="UNLABELED">unlabeled</option>
              <option value="LABELED">labeled</option>
              <option value="DISPUTED">disputed</option>
            </select>
            <select
              className="input"
              aria-label="sort"
              data-testid="score-sort"
              value={filters.sort ?? ""}
              onChange={(e) => update({ sort: (e.target.value || null) as never })}
            >
              <option value="">catalog order</option>
              <option value="best-desc">best score, high first</option>
              <option value="best-asc">best score, low first</option>
            </select>
            <ScoreBoundInput bound="min" value={filters.min} onCommit={(v) => update({ min: v as never })} />
            <ScoreBoundInput bound="max" value={filters.max} onCommit={(v) => update({ max: v as never })} />
            {scoreQuery.note ? (
              <span className="muted small" role="note">
                {scoreQuery.note}
              </span>
            ) : null}
          </div>
          {filters.hook && (filters.kind === "NEURON" || (filters.kind === "SAE_FEATURE" && filters.dict)) ? (
            <UnitSetMap
              key={generation}
              hookPointId={filters.hook}
              dictionaryId={filters.kind === "SAE_FEATURE" ? filters.dict : null}
            />
          ) : null}
          <UnitTable key={generation} filter={scoredFilter} sort={scoreQuery.sort} />
        </section>
      </div>
    </div>
  );
}

/** A bound on the units' best label score (detection AUROC), committed to the URL filters when it loses focus. */
function ScoreBoundInput(props: { bound: "min" | "max"; value: number | null; onCommit: (value: string) => void }) {
  const least = props.bound === "min";
  return (
    <input
      className="input filter-bar__score"
      type="number"
      min={0}
      max={1}
      step={0.05}
      placeholder={`${props.bound} score`}
      aria-label={`${least ? "minimum" : "maximum"} best score`}
      title={`best label score (detection AUROC) at ${least ? "least" : "most"}; leaves out unscored units`}
      defaultValue={props.value ?? ""}
      onBlur={(e) => props.onCommit(e.target.value)}
    />
  );
}
