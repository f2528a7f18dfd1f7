"use client";
// "Similar units" panel of a unit page: the nearest units of the same unit set by output direction (decoder /
// W_out cosine) and by activation correlation over the probe set, each linking to its unit page.
import Link from "next/link";
import { useQuery } from "urql";
import { UNIT_NEIGHBOURS_QUERY, type NeighbourRow } from "./neighbours-query";

const KIND_SHORT: Record<NeighbourRow["unit"]["kind"], string> = {
  NEURON: "neuron",
  SAE_FEATURE: "feature",
  ATTENTION_HEAD: "head",
};

function NeighbourList({
  title,
  caption,
  rows,
  testId,
}: {
  title: string;
  caption: string;
  rows: NeighbourRow[];
  testId: string;
}) {
  return (
    <div className="similar__list" data-testid={testId}>
      <h3>{title}</h3>
      <p className="muted small">{caption}</p>
      {rows.length === 0 ? (
        <p className="muted small">None stored.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>unit</th>
              <th>label</th>
              <th className="num">score</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((n) => (
              <tr key={n.unit.id} data-testid="similar-unit">
                <td>
                  <Link href={`/units/${encodeURIComponent(n.unit.id)}`}>
                    {KIND_SHORT[n.unit.kind]} #{n.unit.index}
                  </Link>
                </td>
                <td>
                  {n.unit.currentLabel ??
                    (n.unit.topAutoLabel ? (
                      <em className="muted">{n.unit.topAutoLabel}</em>
                    ) : (
                      <span className="muted">—</span>
                    ))}
                </td>
                <td className="num">{n.score.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function SimilarUnits({ unitId }: { unitId: string }) {
  const [{ data, error }] = useQuery({ query: UNIT_NEIGHBOURS_QUERY, variables: { id: unitId, first: 10 } });
  return (
    <section data-testid="similar-units">
      <h2>Similar units</h2>
      {error && !data ? (
        <p className="muted" role="alert">
          Could not load similar units: {error.message}
        </p>
      ) : !data ? (
        <p className="muted" role="status">
          Loading similar units…
        </p>
      ) : (
        <div className="two-col">
          <NeighbourList
            title="By direction"
            caption="cosine of output directions (SAE decoder rows, MLP W_out rows)"
            rows={data.unit.byDirection}
            testId="similar-by-direction"
          />
          <NeighbourList
            title="By activation"
            caption="Pearson correlation of activations over the probe set"
            rows={data.unit.byActivation}
            testId="similar-by-activation"
          />
        </div>
      )}
    </section>
  );
}
