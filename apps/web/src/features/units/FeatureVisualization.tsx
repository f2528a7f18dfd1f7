"use client";
// "Feature visualization" section of a unit page: the input image optimised to maximise the unit (built-in model;
// shown upscaled with pixelated rendering), its activation against the unit's dataset max, a "Visualize" button
// for units without an image (annotators and above; the job's progress streams in), and the reason when the unit
// cannot be visualized (imported ONNX models, text-tower units, attention heads).
import { useEffect, useRef, useState } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
import { useCurrentUser } from "../auth/use-current-user";
import { JOB_PROGRESS_SUBSCRIPTION } from "../atlas/build-queries";
import { isActiveJob, mutationErrorText } from "../atlas/sae-build";
import { activationVersusMax } from "./feature-vis-figures";
import { UNIT_FEATURE_VISUALIZATION_QUERY, VISUALIZE_UNIT_MUTATION } from "./feature-vis-query";

const DISPLAY_PX = 192;

export function FeatureVisualization({ unitId }: { unitId: string }) {
  const { user } = useCurrentUser();
  const canRequest = !!user && user.role !== "VIEWER";
  const [{ data, error }, refetch] = useQuery({
    query: UNIT_FEATURE_VISUALIZATION_QUERY,
    variables: { id: unitId },
    requestPolicy: "cache-and-network",
  });
  const fv = data?.unit.featureVisualization ?? null;
  const [started, setStarted] = useState<string | null>(null);
  const [requestError, setRequestError] = useState<string | null>(null);
  const [requesting, request] = useMutation(VISUALIZE_UNIT_MUTATION);
  const followed = started ?? fv?.pendingJobId ?? null;
  const [sub] = useSubscription({
    query: JOB_PROGRESS_SUBSCRIPTION,
    variables: { jobId: followed ?? "" },
    pause: !followed,
  });
  const live = sub.data?.jobProgress.jobId === followed ? sub.data.jobProgress : null;
  const finished = useRef<string | null>(null);
  useEffect(() => {
    if (live && !isActiveJob(live.status) && finished.current !== live.jobId) {
      finished.current = live.jobId;
      setStarted(null);
      refetch({ requestPolicy: "network-only" });
    }
  }, [live, refetch]);

  async function visualize() {
    setRequestError(null);
    const r = await request({ unitId });
    if (r.error || !r.data) {
      setRequestError(r.error ? mutationErrorText(r.error) : "no answer from the API");
      return;
    }
    setStarted(r.data.visualizeUnit.id);
  }

  const pending = followed !== null && (!live || isActiveJob(live.status));
  return (
    <section data-testid="feature-visualization">
      <h2>Feature visualization</h2>
      {error && !data ? (
        <p className="muted" role="alert">
          Could not load the feature visualization: {mutationErrorText(error)}
        </p>
      ) : !fv ? (
        <p className="muted" role="status">
          Loading the feature visualization…
        </p>
      ) : fv.status === "UNAVAILABLE" ? (
        <p className="muted" data-testid="feature-visualization-unavailable">
          Unavailable for this unit: {fv.reason}
        </p>
      ) : (
        <>
          {fv.status === "AVAILABLE" && fv.imageDataUrl ? (
            <figure className="feature-vis">
              {/* a data: URL of the 32×32 PNG, upscaled without smoothing */}
              <img
                src={fv.imageDataUrl}
                width={DISPLAY_PX}
                height={DISPLAY_PX}
                style={{ imageRendering: "pixelated" }}
                alt={`input optimised to maximise unit ${unitId}`}
                data-testid="feature-visualization-image"
              />
              <figcaption className="small">
                Activation {activationVersusMax(fv.activation ?? 0, fv.datasetMax)}; start image{" "}
                {(fv.startActivation ?? 0).toFixed(2)}.
                <br />
                <span className="muted">
                  {fv.width}×{fv.height} px, {fv.steps} Adam steps, seed {fv.seed}, method v{fv.version}: decorrelated
                  DCT parameterisation, jitter, total-variation + L2 penalties.
                </span>
              </figcaption>
            </figure>
          ) : (
            <p className="muted" data-testid="feature-visualization-missing">
              Not computed yet for this unit.
            </p>
          )}
          {pending ? (
            <p className="muted small" role="status" data-testid="feature-visualization-pending">
              Optimising… {live ? `${Math.round(live.progress * 100)} %` : "queued"}
              {live?.message ? ` — ${live.message}` : ""}
            </p>
          ) : fv.status === "NOT_COMPUTED" && canRequest ? (
            <button
              type="button"
              className="button"
              onClick={visualize}
              disabled={requesting.fetching}
              data-testid="feature-visualization-run"
            >
              Visualize
            </button>
          ) : fv.status === "NOT_COMPUTED" ? (
            <p className="muted small">Sign in as an annotator to compute it.</p>
          ) : null}
          {requestError ? (
            <p className="form-error small" role="alert">
              {requestError}
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
