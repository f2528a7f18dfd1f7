// Prints the API's GraphQL SDL to apps/api/schema.graphql (committed, so schema changes show in review).
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { printSchema } from "graphql";
import { buildApiSchema } from "../src/graphql/schema";

buildApiSchema().then((schema) => {
  const file = path.join(__dirname, "..", "schema.graphql");
  writeFileSync(file, `${printSchema(schema)}\n`);
  console.log(`wrote ${file}`);
});
