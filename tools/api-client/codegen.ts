// graphql-codegen config: typed documents (client preset) for the example API client, generated from the
// committed schema (apps/api/schema.graphql) and the graphql() documents in tools/api-client/src.
// Run: npx graphql-codegen --config tools/api-client/codegen.ts
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "apps/api/schema.graphql",
  documents: ["tools/api-client/src/**/*.ts", "!tools/api-client/src/gql/**/*"],
  generates: {
    "tools/api-client/src/gql/": {
      preset: "client",
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTimeISO: "string", JSON: "unknown" } },
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
    },
  },
  ignoreNoDocuments: false,
};

export default config;
