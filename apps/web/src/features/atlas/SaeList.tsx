"use client";
// The model's sparse autoencoders (SAEs) on its atlas page: hook, architecture, d_sae and stored units, with
// "not built yet" for an SAE that has none and a link to the atlas filtered to its features once built. Admins
// also get a dataset picker and a Build button per SAE (SaeBuildControl) that shows the build's progress.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useCallback, useState } from "react";
import { useQuery } from "urql";
import { useCurrentUser } from "../auth/use-current-user";
import type { DictionaryRow, HookPointRow } from "./atlas-queries";
import { SAE_BUILD_JOBS_QUERY } from "./build-queries";
import { defaultDatasetId, mutationErrorText, saeUnitsHref } from "./sae-build";
import { SaeBuildControl } from "./SaeBuildControl";

export function SaeList({
  modelId,
  dictionaries,
  hookPoints,
  onBuilt,
}: {
  modelId: string;
  dictionaries: DictionaryRow[];
  hookPoints: HookPointRow[];
  onBuilt: () => void;
}) {
  const { user } = useCurrentUser();
  const isAdmin = user?.role === "ADMIN";
  const path = usePathname();
  const [{ data: admin, error: adminError }, refetchAdmin] = useQuery({
    query: SAE_BUILD_JOBS_QUERY,
    variables: { id: modelId },
    pause: !isAdmin,
    requestPolicy: "network-only",
  });
  const [picked, setPicked] = useState<string | null>(null);
  const datasets = admin?.datasets ?? [];
  const datasetId = picked ?? defaultDatasetId(datasets);
  const finished = useCallback(() => {
    onBuilt();
    refetchAdmin({ requestPolicy: "network-only" });
  }, [onBuilt, refetchAdmin]);

  if (dictionaries.length === 0) return null;
  const hookName = new Map(hookPoints.map((h) => [h.id, h.name]));
  const jobOf = new Map((admin?.model.dictionaries ?? []).map((d) => [d.id, d.latestBuildJob]));

  return (
    <section className="sae-list" aria-labelledby="sae-list-heading" data-testid="sae-list">
      <div className="sae-list__head">
        <h2 id="sae-list-heading">Sparse autoencoders</h2>
        {isAdmin ? (
          datasets.length ? (
            <label className="sae-list__dataset small">
              Build with dataset{" "}
              <select
                className="input"
                aria-label="build dataset"
                data-testid="build-dataset"
                value={datasetId ?? ""}
                onChange={(e) => setPicked(e.target.value)}
              >
                {datasets.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name} ({d.size.toLocaleString("en-US")} {d.modality.toLowerCase().replace("_", "+")})
                  </option>
                ))}
              </select>
            </label>
          ) : admin ? (
            <span className="muted small">
              No dataset to build with: add one with <code>npm run atlas -- import dataset</code>.
            </span>
          ) : null
        ) : null}
      </div>
      {adminError ? (
        <p className="form-error" role="alert">
          {mutationErrorText(adminError)}
        </p>
      ) : null}
      <table className="table">
        <thead>
          <tr>
            <th>SAE</th>
            <th>hook</th>
            <th>architecture</th>
            <th className="num">d_sae</th>
            <th>units</th>
            {isAdmin ? <th>build</th> : null}
          </tr>
        </thead>
        <tbody>
          {dictionaries.map((d) => (
            <tr key={d.id} data-testid="sae-row" data-sae={d.name} data-status={d.buildStatus}>
              <td>
                <code>{d.name}</code>
              </td>
              <td>
                <code className="small">{hookName.get(d.hookPointId) ?? "?"}</code>
              </td>
              <td>{d.architecture.toLowerCase()}</td>
              <td className="num">{d.dSae.toLocaleString("en-US")}</td>
              <td data-testid="sae-units">
                {d.unitCount > 0 ? (
                  <>
                    <span>{d.unitCount.toLocaleString("en-US")} units</span>
                    {" · "}
                    <Link href={saeUnitsHref(path, d)} data-testid="sae-browse">
                      Browse units
                    </Link>
                  </>
                ) : (
                  <span className="muted">not built yet</span>
                )}
                {d.buildStatus === "BUILDING" ? <span className="muted small"> · build running</span> : null}
              </td>
              {isAdmin ? (
                <td>
                  <SaeBuildControl
                    modelId={modelId}
                    dict={d}
                    datasetId={datasetId}
                    lastJob={jobOf.get(d.id) ?? null}
                    onFinished={finished}
                  />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
