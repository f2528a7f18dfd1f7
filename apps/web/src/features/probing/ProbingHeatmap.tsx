"use client";
// Linear probing on the model page: per tower a layer × concept-family heatmap of held-out probe accuracy (cell
// colour = gain over the chance baseline, the numbers in each cell's title), the families that were skipped and
// why, and for admins (job.manage) a dataset picker with a "Run probes" button; a queued or running PROBE_CONCEPTS
// job streams its progress (jobProgress) and the heatmap is re-read when it ends.
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { useCurrentUser } from "../auth/use-current-user";
import { isActiveJob, mutationErrorText } from "../atlas/sae-build";
import { useFollowedJob } from "../jobs/use-followed-job";
import { cellColour, cellTextIsLight, cellTitle, heatmapsOf } from "./heatmap";
import { MODEL_PROBING_QUERY, RUN_PROBING_MUTATION } from "./probing-queries";
import "./probing.css";

const pct = (x: number) => `${Math.round(x * 100)}`;

export function ProbingHeatmap({ modelId }: { modelId: string }) {
  const { user } = useCurrentUser();
  const canRun = user?.role === "ADMIN";
  const [datasetId, setDatasetId] = useState<string | null>(null);
  const [{ data, error, fetching }, refetch] = useQuery({
    query: MODEL_PROBING_QUERY,
    variables: { id: modelId, datasetId },
    requestPolicy: "cache-and-network",
  });
  const probing = data?.model.probing ?? null;
  const [starting, start] = useMutation(RUN_PROBING_MUTATION);
  const latest = probing?.job ?? null;
  const job = useFollowedJob({
    running: latest && isActiveJob(latest.status) ? latest.id : null,
    onEnd: () => refetch({ requestPolicy: "network-only" }),
  });
  const { followed, live, active, startError } = job;

  const shown = probing?.dataset?.id ?? null;
  const candidates = (data?.datasets ?? []).filter((d) => d.modality !== "TEXT" || data?.model.modality !== "IMAGE");
  const chosen = datasetId ?? shown ?? candidates[0]?.id ?? null;

  async function run() {
    if (!chosen) return;
    const id = await job.start(
      () => start({ modelId, datasetId: chosen }),
      (d) => d.runProbing.id,
    );
    if (id && chosen !== shown) setDatasetId(chosen);
  }

  const progress = live ? live.progress : (latest?.progress ?? 0);
  const maps = heatmapsOf(probing?.cells ?? []);
  const failed = !active && latest?.status === "FAILED" ? latest : null;

  return (
    <section className="card probing" aria-label="Linear probing" data-testid="probing">
      <header className="probing__header">
        <h2>Linear probes</h2>
        <p className="muted small">
          How well each layer linearly decodes each concept family of{" "}
          {probing?.dataset ? <strong>{probing.dataset.name}</strong> : "a dataset"}: held-out accuracy of a logistic
          regression per hook point, against the chance baseline (the majority class of the held-out split). Residual
          streams are read at the CLS / EOS token, MLP layers averaged over positions; attention patterns are not
          probed.
        </p>
      </header>
      {error ? (
        <p className="form-error" role="alert">
          Could not load the probes: {mutationErrorText(error)}
        </p>
      ) : null}
      {(probing?.datasets.length ?? 0) > 1 ? (
        <label className="small">
          Dataset{" "}
          <select
            value={shown ?? ""}
            onChange={(e) => setDatasetId(e.target.value || null)}
            data-testid="probing-dataset"
          >
            {probing!.datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {active ? (
        <div className="sae-build__progress" data-testid="probing-progress" data-job-id={followed ?? undefined}>
          <div
            className="sae-build__bar"
            role="progressbar"
            aria-label="linear probing"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress * 100)}
          >
            <span style={{ width: `${Math.round(progress * 100)}%` }} />
          </div>
          <span className="muted small" role="status">
            {live?.message ?? (live?.status === "RUNNING" ? "probing…" : "queued")} ({Math.round(progress * 100)} %)
          </span>
        </div>
      ) : null}
      {failed ? (
        <p className="form-error small" role="alert" data-testid="probing-failed">
          The last probing failed: {failed.error}
        </p>
      ) : null}
      {maps.length === 0 && !fetching && !active ? (
        <p className="muted small" data-testid="probing-none">
          No probes stored for this model yet.
        </p>
      ) : null}
      {maps.map((m) => (
        <div key={m.tower} className="probing__tower">
          <h3 className="small">{m.tower === "VISION" ? "Vision tower" : "Text tower"}</h3>
          <table className="probing__grid" data-testid={`probing-grid-${m.tower.toLowerCase()}`}>
            <thead>
              <tr>
                <th scope="col">layer</th>
                {m.families.map((f) => (
                  <th scope="col" key={f}>
                    {f}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {m.rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row" className="probing__row">
                    {r.label}
                  </th>
                  {m.families.map((f) => {
                    const c = r.byFamily[f];
                    if (!c) return <td key={f} className="probing__cell probing__cell--empty" />;
                    return (
                      <td
                        key={f}
                        className="probing__cell"
                        title={cellTitle(c)}
                        data-testid="probing-cell"
                        data-family={f}
                        data-accuracy={c.accuracy}
                        data-chance={c.chance}
                        style={{
                          background: cellColour(c.accuracy, c.chance),
                          color: cellTextIsLight(c.accuracy, c.chance) ? "#fff" : undefined,
                        }}
                      >
                        {pct(c.accuracy)}
                        <span className="probing__chance">/{pct(c.chance)}</span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {maps.length > 0 ? (
        <p className="muted small">
          Cells: held-out accuracy / chance, in %. Colour: gain over chance, white = chance, blue = perfect, red = below
          chance. Hover a cell for split sizes and classes.
        </p>
      ) : null}
      {(probing?.skipped.length ?? 0) > 0 ? (
        <p className="muted small" data-testid="probing-skipped">
          Not probed: {probing!.skipped.map((s) => `${s.tower.toLowerCase()} ${s.message}`).join("; ")}
        </p>
      ) : null}
      {startError ? (
        <p className="form-error" role="alert" data-testid="probing-error">
          Could not start probing: {startError}
        </p>
      ) : null}
      {canRun ? (
        <div className="probing__run">
          {candidates.length > 0 ? (
            <select
              aria-label="dataset to probe"
              value={chosen ?? ""}
              onChange={(e) => setDatasetId(e.target.value || null)}
              data-testid="probing-run-dataset"
            >
              {candidates.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          ) : null}
          <button
            type="button"
            className="button button--small"
            data-testid="run-probing"
            disabled={active || starting.fetching || !chosen}
            title={active ? "a probing of this model is running" : "fit linear probes of every layer on the dataset"}
            onClick={() => void run()}
          >
            {starting.fetching ? "Starting…" : "Run probes"}
          </button>
        </div>
      ) : null}
    </section>
  );
}
