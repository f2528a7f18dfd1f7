// The queue's serving order, read from and written to the page URL (?order=low-score): catalog order by default,
// or the units whose best label scores lowest first (labelQueue(order: LOW_SCORE_FIRST)).
export type QueueOrderChoice = "CATALOG" | "LOW_SCORE_FIRST";

export const QUEUE_ORDER_PARAM = "order";
const LOW_SCORE_PARAM_VALUE = "low-score";

/** the order a URL parameter asks for (anything unknown: catalog order) */
export function queueOrderFromParam(value: string | null | undefined): QueueOrderChoice {
  return value === LOW_SCORE_PARAM_VALUE || value === "LOW_SCORE_FIRST" ? "LOW_SCORE_FIRST" : "CATALOG";
}

/** the query string for an order, keeping the other parameters (catalog order removes the parameter) */
export function queueSearchWithOrder(search: string, order: QueueOrderChoice): string {
  const params = new URLSearchParams(search);
  if (order === "LOW_SCORE_FIRST") params.set(QUEUE_ORDER_PARAM, LOW_SCORE_PARAM_VALUE);
  else params.delete(QUEUE_ORDER_PARAM);
  const q = params.toString();
  return q ? `?${q}` : "";
}
