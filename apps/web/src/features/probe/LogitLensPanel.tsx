"use client";
// Logit lens of a probe: for the layer picked with the slider, the image's patch grid with each patch's nearest
// concept word written over it (and a CLS row), or the text's tokens with theirs; below, a position × layer
// table of top words. Hover (title) shows the top-3 texts with their cosine. An unavailable lens says why.
import { useEffect, useState } from "react";
import type { ProbeLogitLensData } from "./probe-queries";
import "./logit-lens.css";

type Cell = ProbeLogitLensData["cells"][number][number];

const cellTitle = (where: string, c: Cell) =>
  `${where}\n${c.texts.map((t, i) => `${t}  ${c.scores[i].toFixed(3)}`).join("\n")}`;

export function LogitLensPanel({
  lens,
  image,
  tokens,
}: {
  lens: ProbeLogitLensData | null | undefined;
  image: string | null;
  tokens: string[] | null | undefined;
}) {
  const last = Math.max(0, (lens?.layers.length ?? 1) - 1);
  const [layer, setLayer] = useState(last);
  useEffect(() => setLayer(last), [lens, last]);
  if (!lens) return null;
  if (!lens.available)
    return (
      <section className="card lens" data-testid="logit-lens">
        <h2>Logit lens</h2>
        <p className="muted" data-testid="logit-lens-unavailable">
          Not available for this model ({lens.reason}): {lens.message}
        </p>
      </section>
    );
  const row = lens.cells[layer] ?? [];
  const isImage = lens.tower === "VISION" && lens.gridRows != null && lens.gridCols != null;
  const positionName = (p: number) =>
    p < lens.prefix
      ? lens.prefix === 1
        ? "CLS"
        : `prefix ${p}`
      : isImage
        ? `patch (${Math.floor((p - lens.prefix) / lens.gridCols!)}, ${(p - lens.prefix) % lens.gridCols!})`
        : (tokens?.[p] ?? `token ${p}`);
  const scale = Math.max(...lens.cells.flat().map((c) => c.scores[0]), 1e-9);
  return (
    <section className="card lens" data-testid="logit-lens">
      <h2>Logit lens</h2>
      <p className="muted small">
        Each position&apos;s residual stream after a layer, read out through the tower&apos;s final layer norm and
        projection, and matched to the nearest of {lens.conceptCount} concept texts. The last layer is the model&apos;s
        own embedding
        {lens.embeddingCosine != null ? <> (agreement {lens.embeddingCosine.toFixed(4)})</> : null}.
      </p>
      <label className="field lens__slider">
        Layer {lens.layers[layer]?.layer} <code>{lens.layers[layer]?.hookPoint}</code>
        <input
          type="range"
          min={0}
          max={last}
          step={1}
          value={layer}
          onChange={(e) => setLayer(Number(e.target.value))}
          aria-label="logit lens layer"
          data-testid="logit-lens-layer"
        />
      </label>
      {isImage ? (
        <div className="lens__image-view">
          <div className="lens__cls" data-testid="logit-lens-cls">
            {row.slice(0, lens.prefix).map((c, p) => (
              <span key={p} title={cellTitle(positionName(p), c)}>
                <strong>{positionName(p)}</strong> {c.texts[0]} <span className="muted">{c.scores[0].toFixed(2)}</span>
              </span>
            ))}
          </div>
          <div className="lens__grid-wrap">
            {image ? <img src={image} alt="probe input" className="lens__image" /> : null}
            <div
              className="lens__grid"
              data-testid="logit-lens-grid"
              data-rows={lens.gridRows}
              data-cols={lens.gridCols}
              style={{
                gridTemplateColumns: `repeat(${lens.gridCols}, 1fr)`,
                gridTemplateRows: `repeat(${lens.gridRows}, 1fr)`,
              }}
            >
              {row.slice(lens.prefix).map((c, i) => (
                <span
                  key={i}
                  className="lens__cell"
                  title={cellTitle(positionName(i + lens.prefix), c)}
                  style={{ opacity: (0.45 + (0.55 * Math.max(0, c.scores[0])) / scale).toFixed(2) }}
                >
                  {c.texts[0]}
                </span>
              ))}
            </div>
          </div>
        </div>
      ) : (
        <p className="tokens" data-testid="logit-lens-tokens">
          {row.map((c, p) => (
            <span key={p} className="token lens__token" title={cellTitle(positionName(p), c)}>
              <span className="muted small">{tokens?.[p] ?? p}</span> {c.texts[0]}
            </span>
          ))}
        </p>
      )}
      <details className="lens__table" open={row.length <= 64}>
        <summary>All layers: top word per position</summary>
        <table className="table small" data-testid="logit-lens-table">
          <thead>
            <tr>
              <th>position</th>
              {lens.layers.map((l) => (
                <th key={l.hookPoint}>layer {l.layer}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {row.map((_, p) => (
              <tr key={p}>
                <td>{positionName(p)}</td>
                {lens.cells.map((r, l) => (
                  <td key={l} title={cellTitle(`${positionName(p)}, layer ${lens.layers[l].layer}`, r[p])}>
                    {r[p].texts[0]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
