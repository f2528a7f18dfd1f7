"use client";
// The body of a unit page: header facts, top-activating examples (image heatmaps / token highlights),
// quantile bands, histogram, auto-labels, multimodal score, causal effects, head patterns, annotation panel.
import Link from "next/link";
import { useQuery } from "urql";
import { AnnotationPanel } from "../collab/AnnotationPanel";
import { ActivationHistogram } from "./ActivationHistogram";
import { AttentionPatterns } from "./AttentionPatterns";
import { causalRows } from "./causal-data";
import { CausalEffectChart } from "./CausalEffectChart";
import { ExampleCard } from "./ExampleCard";
import { HeadDecomposition } from "./HeadDecomposition";
import { FeatureVisualization } from "./FeatureVisualization";
import { LabelScoreCell } from "./LabelScoreCell";
import { SimilarUnits } from "./SimilarUnits";
import { KIND_LABEL, UNIT_PAGE_QUERY, type TopActivationData } from "./unit-query";
import "./units.css";

const fmt = (x: number | null | undefined, digits = 3) => (x == null ? "—" : x.toFixed(digits));

export function UnitView({ unitId }: { unitId: string }) {
  const [{ data, fetching, error }] = useQuery({ query: UNIT_PAGE_QUERY, variables: { id: unitId } });
  if (error && !data) {
    const notFound = error.graphQLErrors.some((e) => e.extensions?.code === "NOT_FOUND");
    return (
      <div className={`notice ${notFound ? "" : "notice--error"}`} role="alert" data-testid="unit-error">
        <p>
          <strong>{notFound ? "No such unit" : "Could not load the unit"}</strong>
        </p>
        <p className="muted">{error.message}</p>
        <Link href="/">Back to the atlas</Link>
      </div>
    );
  }
  if (!data)
    return (
      <p className="muted" role="status">
        {fetching ? "Loading unit…" : "No data."}
      </p>
    );
  const unit = data.unit;
  const extra = (unit.stats.extra ?? {}) as Record<string, unknown>;
  const scale = unit.stats.maxActivation ?? Math.max(0, ...unit.topActivations.map((t) => t.maxValue));
  const causal = causalRows(extra.causal);
  const steerScale =
    typeof (extra.causal as { steerScale?: unknown } | null)?.steerScale === "number"
      ? (extra.causal as { steerScale: number }).steerScale
      : undefined;
  const isHead = unit.kind === "ATTENTION_HEAD";
  const grid = unit.model.imageGridSize; // patches per side of the model's images

  return (
    <div className="unit-layout">
      <div className="unit-main">
        <header className="unit-header">
          <p className="crumbs muted">
            <Link href={`/models/${encodeURIComponent(unit.model.id)}`}>{unit.model.displayName}</Link> ›{" "}
            <Link
              href={`/models/${encodeURIComponent(unit.model.id)}?hook=${encodeURIComponent(unit.hookPoint.id)}${unit.dictionary ? `&dict=${encodeURIComponent(unit.dictionary.id)}` : ""}&kind=${unit.kind}`}
            >
              <code>{unit.hookPoint.name}</code>
            </Link>
            {unit.dictionary ? (
              <>
                {" "}
                › SAE <code>{unit.dictionary.name}</code>
              </>
            ) : null}
          </p>
          <h1 data-testid="unit-title">
            {KIND_LABEL[unit.kind]} #{unit.index}
            <span className={`state state--${unit.labelState.toLowerCase()}`}>{unit.labelState.toLowerCase()}</span>
          </h1>
          <p className="unit-label">
            {unit.currentLabel ? (
              <>“{unit.currentLabel}”</>
            ) : (
              <span className="muted">
                No label yet
                {unit.topAutoLabel ? (
                  <>
                    {" "}
                    · auto: <em>{unit.topAutoLabel}</em>
                  </>
                ) : null}
              </span>
            )}
          </p>
          <dl className="facts">
            <div>
              <dt>Max activation</dt>
              <dd>{fmt(unit.stats.maxActivation)}</dd>
            </div>
            <div>
              <dt>Density</dt>
              <dd>{unit.stats.density == null ? "—" : `${(unit.stats.density * 100).toFixed(2)}%`}</dd>
            </div>
            <div>
              <dt>Multimodal score</dt>
              <dd data-testid="multimodal-score">
                {fmt(unit.stats.multimodalScore)}
                {typeof extra.multimodalConcept === "string" ? ` (${extra.multimodalConcept})` : ""}
              </dd>
            </div>
            <div>
              <dt>Layer</dt>
              <dd>
                {unit.hookPoint.tower.toLowerCase()} {unit.hookPoint.layer}
              </dd>
            </div>
            <div>
              <dt>Slug</dt>
              <dd>
                <code>{unit.slug}</code>
              </dd>
            </div>
          </dl>
          <p className="unit-actions">
            <Link className="button" href={`/probe?unit=${encodeURIComponent(unit.id)}`} data-testid="probe-link">
              Probe this unit live →
            </Link>
            {unit.hookPoint.tower === "VISION" && unit.kind !== "ATTENTION_HEAD" ? (
              <Link
                className="button"
                href={`/probe?unit=${encodeURIComponent(unit.id)}#steer`}
                data-testid="steer-link"
              >
                Steer this unit →
              </Link>
            ) : null}
          </p>
        </header>

        {isHead ? (
          <>
            <section>
              <h2>Attention patterns</h2>
              <AttentionPatterns
                extra={extra}
                gridSize={unit.hookPoint.tower === "VISION" ? (grid ?? null) : null}
                tower={unit.hookPoint.tower}
              />
            </section>
            <HeadDecomposition unitId={unit.id} />
          </>
        ) : (
          <>
            <section>
              <h2>Top activations</h2>
              {unit.topActivations.length === 0 ? (
                <p className="muted">No examples stored for this unit.</p>
              ) : (
                <ul className="example-grid" data-testid="top-activations">
                  {unit.topActivations.map((t) => (
                    <ExampleCard key={t.id} row={t} scale={scale} gridSize={grid} />
                  ))}
                </ul>
              )}
            </section>
            <QuantileBands rows={unit.quantileActivations} scale={scale} gridSize={grid} bands={extra.quantileBands} />
            <div className="two-col">
              <section>
                <h2>Activation histogram</h2>
                {unit.stats.histogram ? (
                  <ActivationHistogram histogram={unit.stats.histogram} />
                ) : (
                  <p className="muted">No histogram.</p>
                )}
              </section>
              <section>
                <h2>Auto-labels</h2>
                {unit.autoLabels.length === 0 ? (
                  <p className="muted">None computed.</p>
                ) : (
                  <table className="table" data-testid="auto-labels">
                    <thead>
                      <tr>
                        <th>label</th>
                        <th>score</th>
                        <th>method</th>
                        <th title="detection AUROC on held-out examples (0.5 = chance)">explains</th>
                      </tr>
                    </thead>
                    <tbody>
                      {unit.autoLabels.map((a, i) => (
                        <tr key={i}>
                          <td>{a.label}</td>
                          <td className="num">{a.score.toFixed(3)}</td>
                          <td className="muted">{a.method ?? ""}</td>
                          <LabelScoreCell score={a.scores} />
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                {unit.bestLabel && (
                  <p className="muted" data-testid="best-label">
                    Best label: <strong>{unit.bestLabel.label}</strong>{" "}
                    {unit.bestLabel.score != null
                      ? `(detection AUROC ${unit.bestLabel.score.toFixed(2)})`
                      : unit.bestLabel.basis === "current"
                        ? "(annotation, not scored yet)"
                        : "(top auto-label, not scored yet)"}
                  </p>
                )}
              </section>
            </div>
            <section>
              <h2>Causal effect</h2>
              {causal.length === 0 ? (
                <p className="muted">No causal effects computed for this unit.</p>
              ) : (
                <CausalEffectChart rows={causal} steerScale={steerScale} />
              )}
            </section>
            <SimilarUnits unitId={unit.id} />
          </>
        )}
        <FeatureVisualization unitId={unit.id} />
      </div>
      <aside className="unit-side">
        <AnnotationPanel unitId={unit.id} />
      </aside>
    </div>
  );
}

interface BandInfo {
  band: number;
  lower: number;
  upper: number;
  estimatedCount?: number;
}

function QuantileBands({
  rows,
  scale,
  gridSize,
  bands,
}: {
  rows: TopActivationData[];
  scale: number;
  gridSize: number | null;
  bands: unknown;
}) {
  if (rows.length === 0) return null;
  const info = new Map<number, BandInfo>((Array.isArray(bands) ? (bands as BandInfo[]) : []).map((b) => [b.band, b]));
  const byBand = new Map<number, TopActivationData[]>();
  for (const r of rows) byBand.set(r.bandIndex, [...(byBand.get(r.bandIndex) ?? []), r]);
  const order = [...byBand.keys()].sort((a, b) => b - a);
  return (
    <section data-testid="quantile-bands">
      <h2>Quantile bands</h2>
      <p className="muted small">
        Examples sampled across the activation range, strongest band first: is the unit still “about” the same thing
        when it fires weakly?
      </p>
      {order.map((band) => {
        const b = info.get(band);
        return (
          <div key={band} className="band">
            <div className="band__label">
              <strong>band {band + 1}</strong>
              {b ? (
                <span className="muted small">
                  {b.lower.toFixed(2)}–{b.upper.toFixed(2)}
                </span>
              ) : null}
            </div>
            <ul className="example-grid example-grid--compact">
              {byBand.get(band)!.map((t) => (
                <ExampleCard key={t.id} row={t} scale={scale} gridSize={gridSize} compact />
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
