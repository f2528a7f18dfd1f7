// Trusted (persisted) documents: an allow-list file of GraphQL documents. The file is JSON, either an
// array of document strings or an object { "<id>": "<document>" } (the graphql-codegen persisted-documents
// output). Each document is also known by the SHA-256 of its normalized text (parse + print), so clients may
// send `documentId` instead of the query, and a sent query is accepted iff its normalized hash is listed.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { GraphQLError, parse, print } from "graphql";

export const documentHash = (query: string): string =>
  createHash("sha256")
    .update(print(parse(query)))
    .digest("hex");

export interface TrustedDocuments {
  size: number;
  /** the query to run for a request with `query` and/or `documentId`; throws DOCUMENT_NOT_TRUSTED otherwise */
  resolve(request: { query?: unknown; documentId?: unknown }): string;
}

const notTrusted = (message: string) =>
  new GraphQLError(message, { extensions: { code: "DOCUMENT_NOT_TRUSTED", http: { status: 400 } } });

export function trustedDocumentsFrom(documents: Record<string, string> | string[]): TrustedDocuments {
  const byId = new Map<string, string>();
  const hashes = new Set<string>();
  const entries = Array.isArray(documents) ? documents.map((q) => [null, q] as const) : Object.entries(documents);
  for (const [id, query] of entries) {
    if (typeof query !== "string") throw new Error(`trusted document ${id ?? ""} is not a string`);
    const hash = documentHash(query);
    hashes.add(hash);
    byId.set(hash, query);
    byId.set(`sha256:${hash}`, query);
    if (id) byId.set(id, query);
  }
  return {
    size: hashes.size,
    resolve({ query, documentId }) {
      if (typeof documentId === "string" && documentId) {
        const q = byId.get(documentId);
        if (!q) throw notTrusted(`unknown documentId ${JSON.stringify(documentId.slice(0, 80))}`);
        return q;
      }
      if (typeof query !== "string")
        throw notTrusted("this server only runs trusted documents: send a listed query or documentId");
      let hash: string;
      try {
        hash = documentHash(query);
      } catch {
        throw notTrusted("the query is not a trusted document (it does not parse)");
      }
      if (!hashes.has(hash)) throw notTrusted("the query is not in this server's trusted documents");
      return query;
    },
  };
}

export function loadTrustedDocuments(file: string): TrustedDocuments {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read trusted documents from ${file}: ${(e as Error).message}`, { cause: e });
  }
  if (!parsed || typeof parsed !== "object") throw new Error(`${file}: expected a JSON array or object of documents`);
  return trustedDocumentsFrom(parsed as Record<string, string> | string[]);
}
