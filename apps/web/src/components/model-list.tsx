"use client";
// Lists the registered models from the API, with loading, empty and "API unreachable" states.
import Link from "next/link";
import { useQuery, type CombinedError } from "urql";
import { MODELS_QUERY, UNIT_COUNT_QUERY, type ModelSummary } from "../lib/queries";
import { labeledShare, sumProgress } from "../features/atlas/progress";
import { ProgressBar } from "../features/atlas/ProgressBar";
import "../features/atlas/atlas.css";
import { useApiUrl } from "./api-provider";

const MODALITY_LABEL: Record<string, string> = { IMAGE: "image", TEXT: "text", IMAGE_TEXT: "image + text" };

export function ModelList() {
  const [{ data, fetching, error }, reexecute] = useQuery({ query: MODELS_QUERY });
  const retry = () => reexecute({ requestPolicy: "network-only" });

  if (error && !data) return <ApiError error={error} onRetry={retry} />;
  if (!data)
    return (
      <p className="muted" role="status">
        {fetching ? "Loading models…" : "No data."}
      </p>
    );
  if (data.models.length === 0) {
    return (
      <div className="notice" role="status">
        <p>
          <strong>No models registered yet.</strong>
        </p>
        <p className="muted">
          <code>npm start</code> registers the built-in CLIP-shapes model on first run.
        </p>
      </div>
    );
  }
  return (
    <ul className="model-grid" aria-label="Models">
      {data.models.map((model) => (
        <ModelCard key={model.id} model={model} />
      ))}
    </ul>
  );
}

function ModelCard({ model }: { model: ModelSummary }) {
  const towers = new Set(model.hookPoints.map((h) => h.tower)).size;
  return (
    <li className="card model-card" data-testid="model-card">
      <h3 className="model-card__title">
        <Link href={`/models/${encodeURIComponent(model.id)}`}>{model.displayName}</Link>
      </h3>
      <p className="model-card__name">
        <code>{model.name}</code>
      </p>
      {model.description ? <p className="model-card__description">{model.description}</p> : null}
      <dl className="facts">
        <div>
          <dt>Modality</dt>
          <dd>
            <span className="badge">{MODALITY_LABEL[model.modality] ?? model.modality}</span>
          </dd>
        </div>
        <div>
          <dt>Architecture</dt>
          <dd>{model.architecture}</dd>
        </div>
        <div>
          <dt>Hook points</dt>
          <dd data-testid="hook-point-count">
            {model.hookPoints.length}
            {towers > 1 ? ` (${towers} towers)` : ""}
          </dd>
        </div>
        <div>
          <dt>SAEs</dt>
          <dd>{model.dictionaries.length}</dd>
        </div>
        <div>
          <dt>Units</dt>
          <dd>
            <UnitCount modelId={model.id} />
          </dd>
        </div>
      </dl>
      <ModelProgress model={model} />
      <p className="model-card__actions">
        <Link
          href={`/models/${encodeURIComponent(model.id)}`}
          className="button button--small"
          data-testid="browse-atlas"
        >
          Browse units →
        </Link>
        <Link href={`/queue?model=${encodeURIComponent(model.id)}`} className="button button--small">
          Label
        </Link>
      </p>
    </li>
  );
}

function UnitCount({ modelId }: { modelId: string }) {
  const [{ data, error }] = useQuery({ query: UNIT_COUNT_QUERY, variables: { modelId } });
  if (error)
    return (
      <span className="muted" title={error.message}>
        ?
      </span>
    );
  return <span data-testid="unit-count">{data ? data.units.totalCount.toLocaleString("en-US") : "…"}</span>;
}

function ApiError({ error, onRetry }: { error: CombinedError; onRetry: () => void }) {
  const apiUrl = useApiUrl();
  const unreachable = Boolean(error.networkError) && error.graphQLErrors.length === 0;
  return (
    <div className="notice notice--error" role="alert" data-testid="api-error">
      <p>
        <strong>{unreachable ? "Cannot reach the mmatlas API" : "The API returned an error"}</strong>
      </p>
      <p className="muted">
        {unreachable ? (
          <>
            Tried <code>{apiUrl}</code>. Is the API running? (<code>npm start</code> serves it on port 4000.)
          </>
        ) : (
          error.graphQLErrors.map((e) => e.message).join("; ")
        )}
      </p>
      <button type="button" className="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

function ModelProgress({ model }: { model: ModelSummary }) {
  const totals = sumProgress(model.labelingProgress);
  if (totals.total === 0) return null;
  return (
    <div className="model-card__progress" data-testid="model-card-progress">
      <ProgressBar totals={totals} label="labeling progress" />
      <span className="muted small">
        {(labeledShare(totals) * 100).toFixed(1)}% labeled · {totals.disputed} disputed
      </span>
    </div>
  );
}
