// graphql-codegen config: typed documents (client preset) for the web app, generated from the committed schema
// (apps/api/schema.graphql) and the graphql() documents in apps/web/src, so every query's result type follows
// the schema and a schema change that breaks a page fails `tsc -p apps/web/tsconfig.json`.
// Run from the repo root: npm run codegen (or npx graphql-codegen --config apps/web/codegen.ts).
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "apps/api/schema.graphql",
  documents: ["apps/web/src/**/*.{ts,tsx}", "!apps/web/src/gql/**/*"],
  generates: {
    "apps/web/src/gql/": {
      preset: "client",
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTimeISO: "string", JSON: "unknown" } },
      presetConfig: { fragmentMasking: false },
    },
  },
  ignoreNoDocuments: false,
};

export default config;
