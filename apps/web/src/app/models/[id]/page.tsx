// A model's atlas (shareable, filters in the URL): hook points → unit sets → units, with labeling progress.
import type { Metadata } from "next";
import { Suspense } from "react";
import { AtlasBrowser } from "../../../features/atlas/AtlasBrowser";

export const metadata: Metadata = { title: "Atlas" };

export default async function ModelAtlasPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <Suspense><AtlasBrowser modelId={decodeURIComponent(id)} /></Suspense>;
}
