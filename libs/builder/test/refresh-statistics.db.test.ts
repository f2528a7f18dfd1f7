// A finished build leaves planner statistics for the tables it wrote and a vacuumed "Unit" (its visibility map lets
// the model page's labelling progress and counts be index-only scans), on PGlite, which never runs autovacuum, and
// on PostgreSQL. last_vacuum / last_analyze are set only by explicit VACUUM / ANALYZE, never by autovacuum.
import { createAtlasBuildJob, executeJob } from "../src";
import { useSmallSetup } from "./helpers";

jest.setTimeout(300_000);

const ctx = useSmallSetup();
const TABLES = ["Unit", "TopActivation", "UnitSearchTerm", "UnitNeighbour", "UnitMapPoint"];

async function maintenance() {
  const rows = await ctx.db.prisma.$queryRawUnsafe<
    { relname: string; vacuumed: boolean; analyzed: boolean; reltuples: number }[]
  >(
    `select s.relname, s.last_vacuum is not null as vacuumed, s.last_analyze is not null as analyzed,
       c.reltuples::float8 as reltuples
     from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.relname = any($1::text[])`,
    TABLES,
  );
  return Object.fromEntries(rows.map((r) => [r.relname, r]));
}

test("a build analyzes the tables it wrote and vacuums Unit", async () => {
  const before = await maintenance();
  for (const t of TABLES) expect(before[t].analyzed).toBe(false);
  expect(before.Unit.vacuumed).toBe(false);

  const job = await executeJob(ctx.db.prisma, (await createAtlasBuildJob(ctx.db.prisma, ctx.setup.params)).id);
  expect(job.status).toBe("SUCCEEDED");
  const after = await maintenance();
  for (const t of TABLES) expect(after[t].analyzed).toBe(true);
  expect(after.Unit.vacuumed).toBe(true);
  // the planner knows how many units there are
  expect(after.Unit.reltuples).toBe(await ctx.db.prisma.unit.count());
  const timings = (job.metrics as { timings: Record<string, number> }).timings;
  expect(timings.statisticsSeconds).toBeGreaterThanOrEqual(0);
  expect(timings.statisticsSeconds).toBeLessThanOrEqual(timings.writeSeconds);
});
