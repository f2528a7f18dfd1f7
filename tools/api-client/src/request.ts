// A minimal typed GraphQL-over-HTTP call for typed documents (TypedDocumentNode): the result and the
// variables are typed by the document; GraphQL errors become an ApiError carrying code and extensions.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly extensions: Record<string, unknown>,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function request<TResult, TVariables>(
  url: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  token?: string,
): Promise<TResult> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await res.json()) as {
    data?: TResult;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
  const first = body.errors?.[0];
  if (first)
    throw new ApiError(first.message, first.extensions?.code as string | undefined, first.extensions ?? {}, res.status);
  if (!body.data) throw new ApiError(`empty response (HTTP ${res.status})`, undefined, {}, res.status);
  return body.data;
}
