"use client";
// 2D map of the selected unit set (seeded UMAP of its neighbour graph, from the atlas build) as an SVG scatter,
// coloured by label state, concept (top auto-label), auto-label score or label score (AUROC); clicking a point
// opens its unit.
// Loaded only once opened.
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useQuery } from "urql";
import {
  conceptPalette,
  OTHER_COLOUR,
  pointColour,
  rampColour,
  scoreRange,
  STATE_COLOURS,
  type MapColouring,
} from "./map-colours";
import { UNIT_SET_MAP_QUERY } from "./map-query";

const SIZE = 100,
  PAD = 3;
const SOURCE_TEXT = {
  DECODER_COSINE: "output directions (cosine)",
  ACTIVATION_CORRELATION: "activation correlation",
} as const;

function MapView({ hookPointId, dictionaryId }: { hookPointId: string; dictionaryId: string | null }) {
  const router = useRouter();
  const [mode, setMode] = useState<MapColouring>("state");
  const [{ data, error }] = useQuery({ query: UNIT_SET_MAP_QUERY, variables: { hookPointId, dictionaryId } });
  const points = useMemo(() => data?.unitMap?.points ?? [], [data]);
  const palette = useMemo(() => conceptPalette(points), [points]);
  const range = useMemo(() => scoreRange(points, mode), [points, mode]);
  if (error && !data)
    return (
      <p className="muted" role="alert">
        Could not load the map: {error.message}
      </p>
    );
  if (!data)
    return (
      <p className="muted" role="status">
        Loading map…
      </p>
    );
  if (!data.unitMap)
    return (
      <p className="muted" data-testid="unit-map-empty">
        No map stored for this unit set (attention heads have none; rebuild older atlases).
      </p>
    );
  const open = (unitId: string) => router.push(`/units/${encodeURIComponent(unitId)}`);
  const scale = (v: number) => PAD + v * (SIZE - 2 * PAD);
  return (
    <div className="unit-map">
      <div className="unit-map__bar">
        <span className="muted small">
          {points.length.toLocaleString("en-US")} units · UMAP of {SOURCE_TEXT[data.unitMap.source]}
        </span>
        <label className="small">
          colour by{" "}
          <select
            className="input"
            aria-label="colour map by"
            value={mode}
            onChange={(e) => setMode(e.target.value as MapColouring)}
          >
            <option value="state">label state</option>
            <option value="concept">concept</option>
            <option value="score">auto-label score</option>
            <option value="labelScore">label score (AUROC)</option>
          </select>
        </label>
      </div>
      <svg
        className="unit-map__plot"
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        role="img"
        aria-label="map of the unit set"
        data-testid="unit-map"
      >
        {points.map((p) => (
          <circle
            key={p.unitId}
            cx={scale(p.x)}
            cy={scale(1 - p.y)}
            r={points.length > 1000 ? 0.6 : 1.1}
            fill={pointColour(p, mode, palette, range)}
            className="unit-map__point"
            data-testid="map-point"
            data-unit-id={p.unitId}
            role="link"
            tabIndex={0}
            aria-label={`unit #${p.index}${p.label ? `: ${p.label}` : ""}`}
            onClick={() => open(p.unitId)}
            onKeyDown={(e) => {
              if (e.key === "Enter") open(p.unitId);
            }}
          >
            <title>{`#${p.index}${p.label ? ` — ${p.label}` : ""}${p.autoLabelScore != null ? ` · auto ${p.autoLabelScore.toFixed(3)}` : ""}${p.bestLabelScore != null ? ` · AUROC ${p.bestLabelScore.toFixed(3)}` : ""}`}</title>
          </circle>
        ))}
      </svg>
      <ul className="unit-map__legend small" aria-label="legend">
        {mode === "state" ? (
          Object.entries(STATE_COLOURS).map(([s, c]) => (
            <li key={s}>
              <i style={{ background: c }} />
              {s.toLowerCase()}
            </li>
          ))
        ) : mode === "concept" ? (
          [
            ...[...palette].map(([concept, c]) => (
              <li key={concept}>
                <i style={{ background: c }} />
                {concept}
              </li>
            )),
            <li key="other">
              <i style={{ background: OTHER_COLOUR }} />
              other
            </li>,
          ]
        ) : range ? (
          [
            <li key="lo">
              <i style={{ background: rampColour(0) }} />
              {range[0].toFixed(3)}
            </li>,
            <li key="hi">
              <i style={{ background: rampColour(1) }} />
              {range[1].toFixed(3)}
            </li>,
          ]
        ) : (
          <li className="muted">no scores</li>
        )}
      </ul>
    </div>
  );
}

export function UnitSetMap({ hookPointId, dictionaryId }: { hookPointId: string; dictionaryId: string | null }) {
  const [shown, setShown] = useState(false);
  return (
    <section className="unit-map__panel" aria-label="Unit set map">
      <button
        type="button"
        className="button button--small"
        aria-expanded={shown}
        onClick={() => setShown((s) => !s)}
        data-testid="map-toggle"
      >
        {shown ? "Hide map" : "Show map"}
      </button>
      {shown ? (
        <MapView key={`${hookPointId}/${dictionaryId}`} hookPointId={hookPointId} dictionaryId={dictionaryId} />
      ) : null}
    </section>
  );
}
