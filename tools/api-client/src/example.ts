// Example script: prints every ACCEPTED annotation (all pages) with its unit, then how many units the atlas
// has. Usage: MMATLAS_TOKEN=mma_... npx tsx --tsconfig tsconfig.base.json tools/api-client/src/example.ts [url]
import { AnnotationsPage, UnitsPage } from "./documents";
import type { AnnotationsPageQuery } from "./gql/graphql";
import { ApiError, request } from "./request";

async function main() {
  const url = process.argv[2] ?? "http://localhost:4000/graphql";
  const token = process.env.MMATLAS_TOKEN;
  let after: string | null = null;
  let n = 0;
  do {
    const page: AnnotationsPageQuery = await request(
      url,
      AnnotationsPage,
      { filter: { status: "ACCEPTED" }, first: 100, after },
      token,
    );
    for (const { node } of page.annotations.edges) {
      n += 1;
      console.log(`${node.unit.slug}\t${node.label}\t(${node.author.displayName}, v${node.version})`);
    }
    after = page.annotations.pageInfo.hasNextPage ? (page.annotations.pageInfo.endCursor ?? null) : null;
  } while (after);
  const units = await request(url, UnitsPage, { first: 1 }, token);
  console.log(`${n} accepted annotations; ${units.units.totalCount} units in the atlas`);
}

main().catch((e: unknown) => {
  if (e instanceof ApiError && e.code === "RATE_LIMITED")
    console.error(`rate limited: retry in ${String(e.extensions.retryAfter)} s`);
  else console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
