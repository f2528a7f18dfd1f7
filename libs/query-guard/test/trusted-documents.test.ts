// Trusted documents: listed queries run whatever their whitespace; unlisted ones and unknown ids are refused.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { GraphQLError } from "graphql";
import { loadTrustedDocuments } from "../src";
import { documentHash, trustedDocumentsFrom } from "../src/trusted-documents";

const Q = "query Units { units(first: 2) { edges { cursor } } }";

test("a listed query is accepted in any formatting; unknown queries are refused", () => {
  const docs = trustedDocumentsFrom([Q]);
  expect(docs.resolve({ query: "query Units {\n  units(first: 2) {\n edges { cursor } } }" })).toBe(
    "query Units {\n  units(first: 2) {\n edges { cursor } } }",
  );
  const refused = (r: object) => {
    try {
      docs.resolve(r);
      return null;
    } catch (e) {
      return (e as GraphQLError).extensions.code;
    }
  };
  expect(refused({ query: "{ units { edges { cursor } } }" })).toBe("DOCUMENT_NOT_TRUSTED");
  expect(refused({ query: "{ not graphql" })).toBe("DOCUMENT_NOT_TRUSTED");
  expect(refused({})).toBe("DOCUMENT_NOT_TRUSTED");
  expect(refused({ documentId: "sha256:nope" })).toBe("DOCUMENT_NOT_TRUSTED");
});

test("documents are found by id (codegen manifest keys) or by sha256 of the normalized text", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "trusted-"));
  const file = path.join(dir, "persisted-documents.json");
  writeFileSync(file, JSON.stringify({ abc123: Q }));
  const docs = loadTrustedDocuments(file);
  expect(docs.size).toBe(1);
  expect(docs.resolve({ documentId: "abc123" })).toBe(Q);
  expect(docs.resolve({ documentId: `sha256:${documentHash(Q)}` })).toBe(Q);
  expect(documentHash(Q)).toMatch(/^[0-9a-f]{64}$/);
  writeFileSync(file, "not json");
  expect(() => loadTrustedDocuments(file)).toThrow(/cannot read trusted documents/);
});
