// After a build's writes: planner statistics for the tables the atlas pages read, and the visibility map of "Unit",
// so a fresh atlas is read by the plans it was indexed for. PGlite never runs autovacuum, and a PostgreSQL server
// may not have reached it yet (or runs without it). Measured on a 61,680-unit ViT-B/32 build on PostgreSQL with
// autovacuum off: "Unit" had no statistics (reltuples -1), and the model page's labelling progress read every heap
// page of it (291 ms) instead of an index-only scan of its covering index (docs/benchmarks.md).
import type { PrismaClient } from "@mmatlas/db";

/** the tables a build writes that the model and unit pages read, besides "Unit" */
const ANALYZED_TABLES = ["TopActivation", "UnitSearchTerm", "UnitNeighbour", "UnitMapPoint"] as const;

/** VACUUM (ANALYZE) "Unit" (index-only scans need its visibility map), then ANALYZE the other tables. */
export async function refreshAtlasStatistics(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRawUnsafe('VACUUM (ANALYZE) "Unit"');
  for (const table of ANALYZED_TABLES) await prisma.$executeRawUnsafe(`ANALYZE "${table}"`);
}
