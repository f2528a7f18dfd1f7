"use client";
// Head decomposition on the model page: the vision attention heads ranked by their direct share of the image
// embedding (TextSpan), each with the text that best explains it and a link to its unit page, and for admins
// (job.manage) a dataset picker with a "Decompose heads" button whose HEAD_DECOMPOSITION job streams its progress;
// the ranking is re-read when the job ends.
import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { useCurrentUser } from "../auth/use-current-user";
import { mutationErrorText } from "../atlas/sae-build";
import { useFollowedJob } from "../jobs/use-followed-job";
import { MODEL_HEAD_RANKING_QUERY, RUN_HEAD_DECOMPOSITION_MUTATION } from "./head-ranking-queries";

const SHOWN_HEADS = 12;

export function HeadRanking({ modelId }: { modelId: string }) {
  const { user } = useCurrentUser();
  const canRun = user?.role === "ADMIN";
  const [{ data, error }, refetch] = useQuery({
    query: MODEL_HEAD_RANKING_QUERY,
    variables: { modelId },
    requestPolicy: "cache-and-network",
  });
  const [datasetId, setDatasetId] = useState<string>("");
  const [starting, start] = useMutation(RUN_HEAD_DECOMPOSITION_MUTATION);
  const job = useFollowedJob({
    onEnd: (end) => {
      if (end.status === "FAILED") job.setStartError(end.message ?? "the head decomposition failed");
      refetch({ requestPolicy: "network-only" });
    },
  });
  const { live, active, startError } = job;

  const heads = [...(data?.headDecompositions ?? [])].sort((a, b) => (b.share ?? 0) - (a.share ?? 0));
  const imageDatasets = (data?.datasets ?? []).filter((d) => d.modality !== "TEXT");
  const chosen = datasetId || imageDatasets[0]?.id || "";
  const progress = live?.progress ?? 0;

  async function run() {
    if (!chosen) return;
    await job.start(
      () => start({ modelId, datasetId: chosen }),
      (d) => d.runHeadDecomposition.id,
    );
  }

  if (!canRun && heads.length === 0) return null; // nothing to show a reader yet
  return (
    <section className="card" aria-label="Head decomposition" data-testid="head-ranking">
      <h2>Attention heads by share of the image embedding</h2>
      <p className="muted small">
        TextSpan decomposition: each vision head&apos;s direct contribution to the image embedding (through the residual
        stream, ln_final and proj), its share of the embedding, and the concept text that explains most of its output
        variance. The head pages show all its texts and what mean-ablating it does to zero-shot accuracy.
      </p>
      {error ? (
        <p className="form-error" role="alert">
          Could not load the heads: {mutationErrorText(error)}
        </p>
      ) : null}
      {heads.length > 0 ? (
        <table className="table small" data-testid="head-ranking-table">
          <thead>
            <tr>
              <th scope="col">head</th>
              <th scope="col">share</th>
              <th scope="col">explained best by</th>
            </tr>
          </thead>
          <tbody>
            {heads.slice(0, SHOWN_HEADS).map((h) => (
              <tr key={h.unitId ?? `${h.layer}.${h.head}`} data-testid="head-ranking-row">
                <td>
                  {h.unitId ? (
                    <Link href={`/units/${encodeURIComponent(h.unitId)}`}>
                      L{h.layer} H{h.head}
                    </Link>
                  ) : (
                    `L${h.layer} H${h.head}`
                  )}
                </td>
                <td>{h.share === null || h.share === undefined ? "—" : `${(h.share * 100).toFixed(1)} %`}</td>
                <td>
                  {h.texts[0]
                    ? `${h.texts[0].text} (${(h.texts[0].explainedVariance * 100).toFixed(1)} % of its variance)`
                    : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted small" data-testid="head-ranking-none">
          No head decomposition stored for this model yet.
        </p>
      )}
      {heads.length > SHOWN_HEADS ? (
        <p className="muted small">
          {heads.length - SHOWN_HEADS} more heads; {heads[0].sampleSize} images of {heads[0].datasetName}.
        </p>
      ) : null}
      {canRun ? (
        <div className="small">
          <label>
            Dataset{" "}
            <select
              value={chosen}
              onChange={(e) => setDatasetId(e.target.value)}
              aria-label="head decomposition dataset"
              data-testid="head-ranking-dataset"
            >
              {imageDatasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>{" "}
          <button
            type="button"
            className="button"
            data-testid="run-head-decomposition"
            disabled={!chosen || active || starting.fetching}
            onClick={() => void run()}
          >
            {active ? `Decomposing… ${Math.round(progress * 100)} %` : "Decompose heads"}
          </button>
        </div>
      ) : null}
      {startError ? (
        <p className="form-error small" role="alert">
          {startError}
        </p>
      ) : null}
    </section>
  );
}
