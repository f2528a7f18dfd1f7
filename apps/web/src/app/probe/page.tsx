"use client";
// Live probe page (?unit= preselects a unit, its model and layer): run the model on your own image or text.
import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { ProbeWorkbench } from "../../features/probe/ProbeWorkbench";

function ProbePage() {
  return <ProbeWorkbench unitId={useSearchParams().get("unit")} />;
}

export default function Page() {
  return (
    <Suspense>
      <ProbePage />
    </Suspense>
  );
}
