// A model's atlas (shareable, filters in the URL): hook points → unit sets → units, with labeling progress.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { AtlasBrowser } from "../../../features/atlas/AtlasBrowser";
import { HeadRanking } from "../../../features/heads/HeadRanking";
import { ProbingHeatmap } from "../../../features/probing/ProbingHeatmap";
import { decodeRouteParam } from "../../../lib/route-param";

export const metadata: Metadata = { title: "Atlas" };

export default async function ModelAtlasPage({ params }: { params: Promise<{ id: string }> }) {
  const modelId = decodeRouteParam((await params).id);
  if (modelId === null) notFound(); // a malformed escape such as %E0%A4%A
  return (
    <Suspense>
      <AtlasBrowser modelId={modelId} />
      <ProbingHeatmap modelId={modelId} />
      <HeadRanking modelId={modelId} />
    </Suspense>
  );
}
