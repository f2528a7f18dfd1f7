"use client";
// "Head decomposition" panel of an attention head's unit page (TextSpan, Gandelsman et al. 2024): the head's
// direct share of the image embedding, the concept texts that span its output with their explained variance, and
// zero-shot accuracy before/after mean-ablating the head. Unavailable heads say why.
import { useQuery } from "urql";
import { UNIT_HEAD_DECOMPOSITION_QUERY, type HeadDecompositionData } from "./head-decomposition-query";

// non-breaking spaces keep "100.0 %" on one line in narrow table cells
const pct = (x: number) => `${(x * 100).toFixed(1)}\u00a0%`;
const signedPct = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(x * 100).toFixed(1)}\u00a0pp`;

function Result({ d }: { d: HeadDecompositionData }) {
  return (
    <>
      <p data-testid="head-share">
        Direct share of the image embedding: <strong>{pct(d.share ?? 0)}</strong>
        {d.rank != null && d.heads != null ? (
          <span className="muted">
            {" "}
            (rank {d.rank} of {d.heads} heads)
          </span>
        ) : null}
      </p>
      <p className="muted small">
        Mean over {d.sampleSize} images of {d.datasetName ?? "the dataset"} of ‖e<sub>head</sub>‖² / Σ‖e‖² over every
        direct term (embedding, heads, biases, MLPs) through ln_final and proj.
      </p>
      <div className="two-col">
        <div>
          <h3>TextSpan texts</h3>
          {d.texts.length === 0 ? (
            <p className="muted small">No text explains this head&apos;s variance.</p>
          ) : (
            <table className="table" data-testid="head-texts">
              <thead>
                <tr>
                  <th>#</th>
                  <th>text</th>
                  <th className="num" title="share of the head's output variance removed by this pick">
                    explained var.
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.texts.map((t, i) => (
                  <tr key={t.prompt} data-testid="head-text">
                    <td className="muted">{i + 1}</td>
                    <td title={t.prompt}>{t.text}</td>
                    <td className="num">{pct(t.explainedVariance)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          <h3>Mean-ablation</h3>
          {d.ablation.length === 0 ? (
            <p className="muted small">No zero-shot task on this dataset.</p>
          ) : (
            <table className="table" data-testid="head-ablation">
              <thead>
                <tr>
                  <th>zero-shot task</th>
                  <th className="num">before</th>
                  <th className="num">after</th>
                  <th className="num">Δ</th>
                </tr>
              </thead>
              <tbody>
                {d.ablation.map((a) => (
                  <tr key={a.task} data-testid="head-ablation-row">
                    <td title={`${a.examples} images`}>{a.task}</td>
                    <td className="num">{pct(a.before)}</td>
                    <td className="num">{pct(a.after)}</td>
                    <td className="num">{signedPct(a.delta)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="muted small">The head&apos;s contribution replaced by its mean over the images.</p>
        </div>
      </div>
    </>
  );
}

export function HeadDecomposition({ unitId }: { unitId: string }) {
  const [{ data, error }] = useQuery({ query: UNIT_HEAD_DECOMPOSITION_QUERY, variables: { id: unitId } });
  const d = data?.unit.headDecomposition;
  return (
    <section data-testid="head-decomposition">
      <h2>Head decomposition</h2>
      {error && !data ? (
        <p className="muted" role="alert">
          Could not load the head decomposition: {error.message}
        </p>
      ) : !data ? (
        <p className="muted" role="status">
          Loading the head decomposition…
        </p>
      ) : !d ? null : !d.available ? (
        <p className="muted" data-testid="head-decomposition-unavailable">
          Unavailable for this head: {d.reason}
        </p>
      ) : !d.computed ? (
        <p className="muted" data-testid="head-decomposition-pending">
          Not computed yet: a HEAD_DECOMPOSITION job (mutation runHeadDecomposition) decomposes every vision head of the
          model.
        </p>
      ) : (
        <Result d={d} />
      )}
    </section>
  );
}
