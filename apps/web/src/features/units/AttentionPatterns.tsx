// For attention heads: summary statistics and the stored example attention patterns (attention from the
// CLS / <eos> query to every position), drawn over the model's patch grid (vision heads) or as a position strip
// (text heads, whatever their length: 10 tokens are not a 3×3 grid).
import type { Tower } from "../../gql/graphql";
import { intensity, patchGrid, type PatchGrid } from "./activation-layout";

interface ExamplePattern {
  exampleIndex: number;
  validLength: number;
  pattern: number[];
}

const HEAD_STATS: [string, string][] = [
  ["toCls", "to CLS"],
  ["toSelf", "to self"],
  ["toNeighbours", "to neighbours"],
  ["entropy", "entropy"],
];

export function AttentionPatterns({
  extra,
  tower,
  gridSize,
}: {
  extra: Record<string, unknown>;
  tower: Tower;
  gridSize: number | null;
}) {
  const patterns = (Array.isArray(extra.examplePatterns) ? extra.examplePatterns : []) as ExamplePattern[];
  return (
    <div data-testid="attention-patterns">
      <dl className="facts">
        {HEAD_STATS.map(([key, label]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd>{typeof extra[key] === "number" ? (extra[key] as number).toFixed(3) : "—"}</dd>
          </div>
        ))}
      </dl>
      {patterns.length === 0 ? (
        <p className="muted">No example patterns stored.</p>
      ) : (
        <ul className="pattern-list">
          {patterns.slice(0, 12).map((p, i) => (
            <PatternView key={i} p={p} grid={tower === "VISION" ? patchGrid(valuesOf(p), gridSize) : null} />
          ))}
        </ul>
      )}
    </div>
  );
}

const valuesOf = (p: ExamplePattern) => p.pattern.slice(0, p.validLength || p.pattern.length);

function PatternView({ p, grid }: { p: ExamplePattern; grid: PatchGrid | null }) {
  const values = valuesOf(p);
  const scale = Math.max(...values, 1e-9);
  return (
    <li className="pattern">
      {grid ? (
        <div className="pattern__grid" style={{ gridTemplateColumns: `repeat(${grid.size}, 1fr)` }}>
          {grid.cells.map((v, i) => (
            <span
              key={i}
              title={v.toFixed(3)}
              style={{ backgroundColor: `rgba(59, 91, 219, ${intensity(v, scale).toFixed(3)})` }}
            />
          ))}
        </div>
      ) : (
        <div className="pattern__strip">
          {values.map((v, i) => (
            <span
              key={i}
              title={`position ${i}: ${v.toFixed(3)}`}
              style={{ backgroundColor: `rgba(59, 91, 219, ${intensity(v, scale).toFixed(3)})` }}
            />
          ))}
        </div>
      )}
      <span className="muted small">
        example #{p.exampleIndex}
        {grid?.cls != null ? ` · CLS ${grid.cls.toFixed(2)}` : ""}
      </span>
    </li>
  );
}
