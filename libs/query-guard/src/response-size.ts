// Response size cap: a serialized GraphQL response over maxResponseBytes is replaced by one typed error
// (RESPONSE_TOO_LARGE, with the limit), so a query the cost estimate let through cannot send a huge body.
import type { FormattedExecutionResult } from "graphql";

export const responseTooLarge = (maxBytes: number): FormattedExecutionResult => ({
  errors: [
    {
      message: `the response is larger than this server sends (${maxBytes} bytes, GRAPHQL_MAX_RESPONSE_BYTES): select fewer fields or rows`,
      extensions: { code: "RESPONSE_TOO_LARGE", maxBytes },
    },
  ],
});

/** JSON of `result`, or of the RESPONSE_TOO_LARGE error when that JSON is over maxBytes (UTF-8). */
export function stringifyWithinLimit(result: FormattedExecutionResult, maxBytes: number): string {
  const json = JSON.stringify(result);
  // a UTF-16 length is at most the UTF-8 byte length: count bytes only when it could matter
  if (json.length * 3 <= maxBytes || Buffer.byteLength(json) <= maxBytes) return json;
  return JSON.stringify(responseTooLarge(maxBytes));
}

/** `result` itself, or the RESPONSE_TOO_LARGE error when its JSON is over maxBytes (for graphql-ws messages). */
export function withinLimit<T extends FormattedExecutionResult>(
  result: T,
  maxBytes: number,
): T | FormattedExecutionResult {
  const json = JSON.stringify(result);
  return json.length * 3 <= maxBytes || Buffer.byteLength(json) <= maxBytes ? result : responseTooLarge(maxBytes);
}
