"use client";
// Label scoring on the model page (signed-in users): the model's running or queued SCORE_LABELS job — a succeeded
// atlas build queues one — streams its progress live (jobProgress), else how the latest one ended; admins
// (job.manage) get a "Score labels" button that queues a scoring of the whole model, disabled while one runs.
// When a scoring succeeds the page re-reads the model (best label scores in the unit list).
import { useEffect } from "react";
import { useMutation, useQuery } from "urql";
import { useCurrentUser } from "../auth/use-current-user";
import { useFollowedJob } from "../jobs/use-followed-job";
import { MODEL_LABEL_SCORING_QUERY, SCORE_MODEL_LABELS_MUTATION } from "./label-scoring-queries";
import { scoringProgressText, scoringSummaryOf } from "./label-scoring";
import { isActiveJob, mutationErrorText } from "./sae-build";

export function LabelScoringControl({
  modelId,
  refreshKey,
  onScored,
}: {
  modelId: string;
  /** changes when the page re-read the model (e.g. after an SAE build, which queues a scoring) */
  refreshKey: number;
  onScored: () => void;
}) {
  const { user } = useCurrentUser();
  const canScore = user?.role === "ADMIN";
  const [{ data }, refetch] = useQuery({
    query: MODEL_LABEL_SCORING_QUERY,
    variables: { id: modelId },
    pause: !user,
    requestPolicy: "network-only",
  });
  useEffect(() => {
    if (refreshKey > 0) refetch({ requestPolicy: "network-only" });
  }, [refreshKey, refetch]);
  const [starting, start] = useMutation(SCORE_MODEL_LABELS_MUTATION);
  const latest = data?.model.latestLabelScoringJob ?? null;
  const job = useFollowedJob({
    running: latest && isActiveJob(latest.status) ? latest.id : null,
    onEnd: (end) => {
      refetch({ requestPolicy: "network-only" });
      if (end.status === "SUCCEEDED") onScored();
    },
  });
  const { followed, live, active, startError, progressError } = job;

  if (!user) return null;

  async function score() {
    await job.start(
      () => start({ input: { modelId } }),
      (d) => d.scoreLabels.id,
    );
  }

  const pct = live ? Math.round(live.progress * 100) : 0;
  // how the last scoring ended: the followed job's final event until the re-read model has it, else the latest job
  const ended: { id: string; status: string; text: string; finishedAt: string | null } | null = active
    ? null
    : live && !isActiveJob(live.status)
      ? { id: live.jobId, status: live.status, text: scoringProgressText(live), finishedAt: null }
      : latest && !isActiveJob(latest.status)
        ? {
            id: latest.id,
            status: latest.status,
            text: scoringProgressText({ ...latest, message: scoringSummaryOf(latest.metrics) }),
            finishedAt: (latest.finishedAt as string | null) ?? null,
          }
        : null;

  return (
    <section className="label-scoring" aria-label="Label scoring" data-testid="label-scoring">
      {active ? (
        <div className="sae-build__progress" data-testid="label-scoring-progress" data-job-id={followed ?? undefined}>
          <div
            className="sae-build__bar"
            role="progressbar"
            aria-label="label scoring"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
          >
            <span style={{ width: `${pct}%` }} />
          </div>
          <span className="muted small" role="status">
            {live
              ? scoringProgressText(live)
              : scoringProgressText({ status: "QUEUED", progress: 0, examplesDone: 0, examplesTotal: 0 })}
          </span>
        </div>
      ) : null}
      {ended ? (
        <span
          className={ended.status === "FAILED" ? "form-error small" : "muted small"}
          role={ended.status === "FAILED" ? "alert" : "status"}
          data-testid="label-scoring-ended"
          data-status={ended.status}
          data-job-id={ended.id}
        >
          {ended.text}
          {ended.finishedAt ? ` (${new Date(ended.finishedAt).toLocaleString("en-US")})` : null}
        </span>
      ) : null}
      {!active && !ended ? (
        <span className="muted small" data-testid="label-scoring-none">
          Labels not scored yet.
        </span>
      ) : null}
      {progressError && active ? (
        <p className="form-error" role="alert">
          Progress unavailable: {mutationErrorText(progressError)}
        </p>
      ) : null}
      {startError ? (
        <p className="form-error" role="alert" data-testid="label-scoring-error">
          Could not start label scoring: {startError}
        </p>
      ) : null}
      {canScore ? (
        <button
          type="button"
          className="button button--small"
          data-testid="score-labels"
          disabled={active || starting.fetching}
          title={active ? "a label scoring of this model is running" : "score every label of this model's units"}
          onClick={() => void score()}
        >
          {starting.fetching ? "Starting…" : "Score labels"}
        </button>
      ) : null}
    </section>
  );
}
