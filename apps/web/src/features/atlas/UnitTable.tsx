"use client";
// The filtered list of units: label (or auto-label), state, best label score, key statistics, linking to each
// unit page; paged with "Load more" (Relay cursors).
import Link from "next/link";
import { useEffect, useState } from "react";
import { useQuery } from "urql";
import type { UnitKind, UnitSort } from "../../gql/graphql";
import { UNIT_PAGE_LIST_QUERY, type UnitRow } from "./atlas-queries";

const PAGE = 50;
const KIND_SHORT: Record<UnitKind, string> = { NEURON: "neuron", SAE_FEATURE: "SAE", ATTENTION_HEAD: "head" };
const num = (x: number | null, d = 2) => (x == null ? "—" : x.toFixed(d));

export function UnitTable({ filter, sort = null }: { filter: Record<string, unknown>; sort?: UnitSort | null }) {
  const key = JSON.stringify([filter, sort]);
  const [after, setAfter] = useState<string | null>(null);
  const [rows, setRows] = useState<UnitRow[]>([]);
  useEffect(() => {
    setAfter(null);
    setRows([]);
  }, [key]);
  const [{ data, fetching, error }] = useQuery({
    query: UNIT_PAGE_LIST_QUERY,
    variables: { filter, first: PAGE, after, sort },
  });
  useEffect(() => {
    if (!data) return;
    const page = data.units.edges.map((e) => e.node);
    setRows((cur) => (after ? [...cur.filter((r) => !page.some((p) => p.id === r.id)), ...page] : page));
  }, [data, after]);

  if (error && !data)
    return (
      <p className="form-error" role="alert">
        {error.graphQLErrors.map((e) => e.message).join("; ") || error.message}
      </p>
    );
  const total = data?.units.totalCount;
  return (
    <div className="unit-table">
      <p className="muted small" data-testid="unit-total">
        {total == null ? "Loading…" : `${total.toLocaleString("en-US")} unit${total === 1 ? "" : "s"}`}
      </p>
      <table className="table">
        <thead>
          <tr>
            <th>unit</th>
            <th>label</th>
            <th>state</th>
            <th className="num" title="best label score: the highest detection AUROC among the unit's labels">
              best score
            </th>
            <th className="num">max act.</th>
            <th className="num">density</th>
            <th className="num">multimodal</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((u) => (
            <tr key={u.id} data-testid="unit-row">
              <td>
                <Link href={`/units/${encodeURIComponent(u.id)}`}>
                  <span className="kind-tag">{KIND_SHORT[u.kind]}</span> #{u.index}
                </Link>
                <div className="muted small">
                  <code>{u.hookPoint.name}</code>
                </div>
              </td>
              <td>
                {u.currentLabel ? (
                  <strong>{u.currentLabel}</strong>
                ) : u.topAutoLabel ? (
                  <span className="muted" title="automatic label">
                    auto: <em>{u.topAutoLabel}</em>
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                <span className={`state state--${u.labelState.toLowerCase()}`}>{u.labelState.toLowerCase()}</span>
              </td>
              <td
                className="num"
                data-testid="best-score"
                title={u.bestLabel?.score != null ? `“${u.bestLabel.label}”` : "not scored"}
              >
                {num(u.bestLabel?.score ?? null)}
              </td>
              <td className="num">{num(u.stats.maxActivation)}</td>
              <td className="num">{u.stats.density == null ? "—" : `${(u.stats.density * 100).toFixed(1)}%`}</td>
              <td className="num">{num(u.stats.multimodalScore)}</td>
            </tr>
          ))}
          {data && rows.length === 0 && !fetching ? (
            <tr>
              <td colSpan={7} className="muted">
                No units match these filters.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {data?.units.pageInfo.hasNextPage ? (
        <button
          type="button"
          className="button load-more"
          disabled={fetching}
          onClick={() => setAfter(data.units.pageInfo.endCursor)}
        >
          {fetching ? "Loading…" : `Load more (${(total ?? 0) - rows.length} left)`}
        </button>
      ) : null}
    </div>
  );
}
