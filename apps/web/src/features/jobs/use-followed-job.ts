"use client";
// useFollowedJob: the background job a panel follows — the one it started, else the one it found still running —
// with its live progress (jobProgress subscription), whether it is still active, and a `start` that runs the panel's
// mutation and follows the job it returns (or keeps the API's typed error as text). `onEnd` runs once per job when
// its final event arrives (panels re-read what the job wrote there).
import { useEffect, useRef, useState } from "react";
import { useSubscription } from "urql";
import type { SaeBuildProgressSubscription } from "../../gql/graphql";
import { JOB_PROGRESS_SUBSCRIPTION } from "../atlas/build-queries";
import { isActiveJob, mutationErrorText } from "../atlas/sae-build";

export type JobProgressEvent = SaeBuildProgressSubscription["jobProgress"];

interface MutationAnswer<T> {
  data?: T;
  error?: Parameters<typeof mutationErrorText>[0];
}

export function useFollowedJob(options: { running?: string | null; onEnd: (end: JobProgressEvent) => void }) {
  const [started, setStarted] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const followed = started ?? options.running ?? null;
  const [sub] = useSubscription({
    query: JOB_PROGRESS_SUBSCRIPTION,
    variables: { jobId: followed ?? "" },
    pause: !followed,
  });
  const live = sub.data?.jobProgress.jobId === followed ? sub.data.jobProgress : null;
  const onEnd = useRef(options.onEnd);
  onEnd.current = options.onEnd;
  const ended = useRef<string | null>(null);
  useEffect(() => {
    if (live && !isActiveJob(live.status) && ended.current !== live.jobId) {
      ended.current = live.jobId;
      setStarted(null);
      onEnd.current(live);
    }
  }, [live]);

  /** Runs the mutation and follows the job it returns; the job id, or null (then `startError` says why). */
  async function start<T>(mutate: () => Promise<MutationAnswer<T>>, jobIdOf: (data: T) => string) {
    setStartError(null);
    const r = await mutate();
    if (r.error || !r.data) {
      setStartError(r.error ? mutationErrorText(r.error) : "no answer from the API");
      return null;
    }
    const id = jobIdOf(r.data);
    setStarted(id);
    return id;
  }

  return {
    followed,
    live,
    /** a job is followed and has not sent its final event */
    active: followed !== null && (!live || isActiveJob(live.status)),
    /** the subscription's error (progress cannot stream) */
    progressError: sub.error ?? null,
    startError,
    setStartError,
    start,
  };
}
