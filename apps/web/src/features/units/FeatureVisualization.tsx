"use client";
// "Feature visualization" section of a unit page: the input image optimised to maximise the unit (built-in model;
// shown upscaled with pixelated rendering), its activation against the unit's dataset max, a "Visualize" button
// for units without an image (annotators and above; the job's progress streams in), and the reason when the unit
// cannot be visualized (imported ONNX models, text-tower units, attention heads).
import { useMutation, useQuery } from "urql";
import { useCurrentUser } from "../auth/use-current-user";
import { mutationErrorText } from "../atlas/sae-build";
import { useFollowedJob } from "../jobs/use-followed-job";
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
  const [requesting, request] = useMutation(VISUALIZE_UNIT_MUTATION);
  const job = useFollowedJob({
    running: fv?.pendingJobId ?? null,
    onEnd: () => refetch({ requestPolicy: "network-only" }),
  });
  const { live, active: pending, startError: requestError } = job;

  async function visualize() {
    await job.start(
      () => request({ unitId }),
      (d) => d.visualizeUnit.id,
    );
  }

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
