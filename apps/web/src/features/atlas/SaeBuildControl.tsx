"use client";
// An admin's build control for one SAE on the model page: "Build" starts an atlas build of just that SAE over
// the chosen dataset, then its progress streams in live (jobProgress subscription) until it is built, failed
// or cancelled; a build already queued or running when the page opens is followed the same way.
import { useEffect, useRef, useState } from "react";
import { useMutation, useSubscription } from "urql";
import type { DictionaryRow } from "./atlas-queries";
import { JOB_PROGRESS_SUBSCRIPTION, START_SAE_BUILD_MUTATION, type BuildJob } from "./build-queries";
import { isActiveJob, mutationErrorText, progressText } from "./sae-build";

export function SaeBuildControl({
  modelId,
  dict,
  datasetId,
  lastJob,
  onFinished,
}: {
  modelId: string;
  dict: DictionaryRow;
  datasetId: string | null;
  lastJob: BuildJob | null;
  onFinished: () => void;
}) {
  const [jobId, setJobId] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [starting, start] = useMutation(START_SAE_BUILD_MUTATION);
  const followed = jobId ?? (lastJob && isActiveJob(lastJob.status) ? lastJob.id : null);
  const [sub] = useSubscription({
    query: JOB_PROGRESS_SUBSCRIPTION,
    variables: { jobId: followed ?? "" },
    pause: !followed,
  });
  const live = sub.data?.jobProgress.jobId === followed ? sub.data.jobProgress : null;

  const finished = useRef<string | null>(null);
  useEffect(() => {
    if (live && live.status === "SUCCEEDED" && finished.current !== live.jobId) {
      finished.current = live.jobId;
      onFinished();
    }
  }, [live, onFinished]);

  async function build() {
    setStartError(null);
    if (!datasetId) {
      setStartError("choose a dataset to build with");
      return;
    }
    const r = await start({ input: { modelId, datasetId, hooks: [], dictionaries: [dict.name] } });
    if (r.error || !r.data) {
      setStartError(r.error ? mutationErrorText(r.error) : "no answer from the API");
      return;
    }
    setJobId(r.data.startAtlasBuild.id);
  }

  const active = followed !== null && (!live || isActiveJob(live.status));
  const ended =
    live && !isActiveJob(live.status)
      ? live
      : !followed && lastJob && !isActiveJob(lastJob.status) && dict.buildStatus !== "BUILT"
        ? lastJob
        : null;
  const canStart = !active && dict.buildStatus !== "BUILT" && !(live?.status === "SUCCEEDED");
  const pct = live ? Math.round(live.progress * 100) : 0;

  return (
    <div className="sae-build" data-testid="sae-build-control">
      {active ? (
        <div className="sae-build__progress" data-testid="sae-build-progress" data-job-id={followed ?? undefined}>
          <div
            className="sae-build__bar"
            role="progressbar"
            aria-label={`build of ${dict.name}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
          >
            <span style={{ width: `${pct}%` }} />
          </div>
          <span className="muted small" role="status">
            {live ? progressText(live) : "Starting build…"}
          </span>
        </div>
      ) : null}
      {live?.status === "SUCCEEDED" && dict.buildStatus !== "BUILT" ? (
        <span className="small" role="status" data-testid="sae-build-done">
          Built: loading its units…
        </span>
      ) : null}
      {ended && ended.status !== "SUCCEEDED" ? (
        <p className="form-error" role="alert" data-testid="sae-build-error">
          {progressText(ended)}
        </p>
      ) : null}
      {sub.error && active ? (
        <p className="form-error" role="alert" data-testid="sae-build-error">
          Progress unavailable: {mutationErrorText(sub.error)}
        </p>
      ) : null}
      {startError ? (
        <p className="form-error" role="alert" data-testid="sae-build-error">
          Could not start the build: {startError}
        </p>
      ) : null}
      {canStart ? (
        <button
          type="button"
          className="button button--small button--primary"
          data-testid="sae-build"
          aria-label={`Build ${dict.name}`}
          disabled={starting.fetching || !datasetId}
          onClick={() => void build()}
        >
          {starting.fetching ? "Starting…" : "Build"}
        </button>
      ) : null}
    </div>
  );
}
