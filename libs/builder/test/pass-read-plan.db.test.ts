// The pass reads the next batch of a tower by an index range scan that stops after the batch, at any dataset size:
// the build refreshes "Example"'s planner statistics first (analyzeExamples; PGlite never runs autovacuum), without
// which the planner sorted all of a tower's rows per batch (O(N²) per pass). Checked on the plan of the pass's own
// read statements over 6,000 examples, and on the statistics a real build leaves behind.
import { createTestDatabase, type TestDatabase } from "@mmatlas/db/testing";
import { createAtlasBuildJob, executeJob } from "../src";
import { READ_STATEMENTS, analyzeExamples } from "../src/pass/examples";
import { smallSetup } from "./helpers";

jest.setTimeout(300_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

/** EXPLAIN of a read statement with its parameters inlined (as the first executions of a prepared statement plan it) */
async function planOf(tower: "VISION" | "TEXT", datasetId: string, afterIndex: number): Promise<string> {
  const text = READ_STATEMENTS[tower].text
    .replace("$1", `'${datasetId}'`)
    .replace("$2", String(afterIndex))
    .replace("$3", "16");
  const rows = await db.prisma.$queryRawUnsafe<Record<string, string>[]>(`EXPLAIN ${text}`);
  return rows.map((r) => Object.values(r)[0]).join("\n");
}

test("after analyzeExamples both towers' reads are ordered index scans with no sort, at 6,000 examples", async () => {
  const dataset = await db.prisma.dataset.create({ data: { name: "read-plan", modality: "IMAGE_TEXT" } });
  const image = Buffer.alloc(2048, 1);
  for (let start = 0; start < 6000; start += 1000)
    await db.prisma.example.createMany({
      data: Array.from({ length: 1000 }, (_, i) => {
        const index = start + i,
          caption = index >= 4000;
        return {
          datasetId: dataset.id,
          index,
          modality: caption ? ("TEXT" as const) : ("IMAGE" as const),
          image: caption ? null : image,
          text: caption ? `caption ${index}` : null,
        };
      }),
    });
  await analyzeExamples(db.prisma);
  for (const [tower, after] of [
    ["VISION", 2500],
    ["TEXT", 5000],
  ] as const) {
    const plan = await planOf(tower, dataset.id, after);
    expect({ tower, plan, usesRange: plan.includes("Example_datasetId_index_key") }).toMatchObject({ usesRange: true });
    expect({ tower, plan, sorts: /\bSort\b/.test(plan) }).toMatchObject({ sorts: false });
  }
  const [next] = await db.prisma.$queryRawUnsafe<{ index: number }[]>(
    READ_STATEMENTS.TEXT.text.replace("$1", `'${dataset.id}'`).replace("$2", "5000").replace("$3", "1"),
  );
  expect(Number(next.index)).toBe(5001);
});

test("a build leaves Example analyzed (planner statistics count its rows)", async () => {
  const setup = await smallSetup(db.prisma, 40, 8);
  const job = await createAtlasBuildJob(db.prisma, { ...setup.params, causalUnits: 0, scoreLabels: false } as never);
  expect((await executeJob(db.prisma, job.id)).status).toBe("SUCCEEDED");
  const [stats] = await db.prisma.$queryRawUnsafe<{ reltuples: number }[]>(
    `SELECT reltuples FROM pg_class WHERE relname = 'Example'`,
  );
  expect(Number(stats.reltuples)).toBeGreaterThanOrEqual(await db.prisma.example.count());
});
