// One GraphQL request over HTTP as a script or notebook would send it: POST {query, variables} with a bearer
// token. The e2e tests use it to act beside the browser (import, build, read back what a page shows).

export interface GraphqlReply<T> {
  status: number;
  body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** POSTs `query` to `url`, with `Authorization: Bearer <token>` when a token is given. */
export async function postGraphql<T = Record<string, any>>(
  url: string,
  query: string,
  opts: { variables?: Record<string, unknown>; token?: string } = {},
): Promise<GraphqlReply<T>> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: JSON.stringify({ query, variables: opts.variables }),
  });
  return { status: res.status, body: (await res.json()) as GraphqlReply<T>["body"] };
}
