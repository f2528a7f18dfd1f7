"use client";
// Labeling queue page (?model= limits it to one model, ?order=low-score serves the lowest-scoring units first):
// signed-in annotators label units one after another.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { RequireSignIn } from "../../features/auth/RequireSignIn";
import { LabelQueue } from "../../features/queue/LabelQueue";
import { QUEUE_ORDER_PARAM, queueOrderFromParam, queueSearchWithOrder } from "../../features/queue/queue-order";

function QueuePage() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const modelId = params.get("model");
  const order = queueOrderFromParam(params.get(QUEUE_ORDER_PARAM));
  return (
    <RequireSignIn minRole="ANNOTATOR">
      {() => (
        <LabelQueue
          modelId={modelId}
          order={order}
          onOrderChange={(o) => router.replace(`${pathname}${queueSearchWithOrder(params.toString(), o)}`)}
        />
      )}
    </RequireSignIn>
  );
}

export default function Page() {
  return (
    <Suspense>
      <QueuePage />
    </Suspense>
  );
}
