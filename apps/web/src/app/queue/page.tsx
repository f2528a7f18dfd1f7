"use client";
// Labeling queue page (?model= limits it to one model): signed-in annotators label units one after another.
import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { RequireSignIn } from "../../features/auth/RequireSignIn";
import { LabelQueue } from "../../features/queue/LabelQueue";

function QueuePage() {
  const modelId = useSearchParams().get("model");
  return <RequireSignIn minRole="ANNOTATOR">{() => <LabelQueue modelId={modelId} />}</RequireSignIn>;
}

export default function Page() {
  return <Suspense><QueuePage /></Suspense>;
}
