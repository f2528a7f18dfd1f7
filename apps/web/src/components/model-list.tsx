"use client";
// Lists the registered models from the API, with loading, empty and "API unreachable" states.
import { useQuery, type CombinedError } from "urql";
import { MODELS_QUERY, type ModelSummary, type ModelsQueryResult } from "../lib/queries";
import { useApiUrl } from "./api-provider";

const MODALITY_LABEL: Record<string, string> = { IMAGE: "image", TEXT: "text", IMAGE_TEXT: "image + text" };

export function ModelList() {
  const [{ data, fetching, error }, reexecute] = useQuery<ModelsQueryResult>({ query: MODELS_QUERY });
  const retry = () => reexecute({ requestPolicy: "network-only" });

  if (error && !data) return <ApiError error={error} onRetry={retry} />;
  if (!data) return <p className="muted" role="status">{fetching ? "Loading models…" : "No data."}</p>;
  if (data.models.length === 0) {
    return (
      <div className="notice" role="status">
        <p><strong>No models registered yet.</strong></p>
        <p className="muted"><code>npm start</code> registers the built-in CLIP-shapes model on first run.</p>
      </div>
    );
  }
  return (
    <ul className="model-grid" aria-label="Models">
      {data.models.map((model) => <ModelCard key={model.id} model={model} />)}
    </ul>
  );
}

function ModelCard({ model }: { model: ModelSummary }) {
  return (
    <li className="card model-card" data-testid="model-card">
      <h3 className="model-card__title">{model.displayName}</h3>
      <p className="model-card__name"><code>{model.name}</code></p>
      <dl className="facts">
        <div><dt>Modality</dt><dd><span className="badge">{MODALITY_LABEL[model.modality] ?? model.modality}</span></dd></div>
        <div><dt>Architecture</dt><dd>{model.architecture}</dd></div>
      </dl>
    </li>
  );
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
        {unreachable
          ? <>Tried <code>{apiUrl}</code>. Is the API running? (<code>npm start</code> serves it on port 4000.)</>
          : error.graphQLErrors.map((e) => e.message).join("; ")}
      </p>
      <button type="button" className="button" onClick={onRetry}>Retry</button>
    </div>
  );
}
