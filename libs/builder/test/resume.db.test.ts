// Resume after a crash: a child process building an atlas is SIGKILLed after a few committed batches; the
// job is resumed from its checkpoint and the stored atlas is identical to an uninterrupted build, with no
// duplicate rows. Runs on PostgreSQL under TEST_DATABASE_URL, else on a PGlite folder (one process at a time).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import readline from "node:readline";
import { migrateDatabase, openDatabase, repoRoot, type Database } from "@mmatlas/db";
import { createTestDatabase } from "@mmatlas/db/testing";
import { createAtlasBuildJob, executeJob, type JobProgress } from "../src";
import { dumpAtlas, smallSetup } from "./helpers";

jest.setTimeout(400_000);

const usePostgres = !!process.env.TEST_DATABASE_URL;
let pgliteDir: string | undefined;
let pgDb: (Database & { url?: string }) | undefined;

async function open(): Promise<Database> {
  if (pgDb) return pgDb;
  return openDatabase({ pgliteDir });
}
const release = async (db: Database) => {
  if (!pgDb) await db.close();
};

beforeAll(async () => {
  if (usePostgres) pgDb = await createTestDatabase();
  else {
    pgliteDir = mkdtempSync(path.join(tmpdir(), "mmatlas-resume-"));
    await migrateDatabase({ pgliteDir });
  }
});
afterAll(async () => {
  await pgDb?.close();
  if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
});

/** runs the job in a child process and SIGKILLs it after `batches` committed pass checkpoints, or at the first
 * progress event `killAt` accepts */
function runChildAndKill(
  jobId: string,
  batches: number,
  killAt: (p: JobProgress) => boolean = () => false,
): Promise<{ killedAfter: JobProgress | null; finished: boolean }> {
  const env = { ...process.env };
  if (pgDb) env.DATABASE_URL = pgDb.url;
  else {
    delete env.DATABASE_URL;
    env.PGLITE_DIR = pgliteDir;
  }
  env.TSX_TSCONFIG_PATH = path.join(repoRoot(), "tsconfig.base.json");
  // node itself runs the child (tsx as a loader), so SIGKILL hits the process that builds, not a wrapper
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(__dirname, "fixtures", "run-job-child.ts"), jobId],
    { cwd: repoRoot(), env, stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let seen = 0,
      last: JobProgress | null = null,
      finished = false;
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("DONE")) {
        finished = true;
        return;
      }
      const p = JSON.parse(line) as JobProgress;
      if (killAt(p)) {
        last = p;
        child.kill("SIGKILL");
        return;
      }
      // progress events with phase "pass" after a checkpoint carry examplesDone > 0
      if (p.phase === "pass" && p.examplesDone > 0 && p.examplesDone !== last?.examplesDone) {
        seen++;
        last = p;
        if (seen === batches) child.kill("SIGKILL");
      }
    });
    child.once("error", reject);
    child.once("exit", () => resolve({ killedAfter: last, finished }));
  });
}

test("a build killed in finalize resumes from the end-of-pass checkpoint (states shared, not copied) to the same atlas", async () => {
  let db = await open();
  const setup = await smallSetup(db.prisma, 64, 16);
  const reference = await executeJob(db.prisma, (await createAtlasBuildJob(db.prisma, setup.params)).id);
  expect(reference.status).toBe("SUCCEEDED");
  const expected = await dumpAtlas(db.prisma, setup.model.id);
  await db.prisma.unit.deleteMany({ where: { modelId: setup.model.id } });
  const job = await createAtlasBuildJob(db.prisma, setup.params);
  await release(db);

  // the first set written in finalize has its checkpoint (the end-of-pass body, reused) on the Job row
  const run = await runChildAndKill(
    job.id,
    Infinity,
    (p) => p.phase === "finalize" && !!p.message?.startsWith("written:"),
  );
  expect(run.finished).toBe(false);
  expect(run.killedAfter?.phase).toBe("finalize");
  db = await open();
  try {
    const crashed = await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(crashed.status).toBe("RUNNING");
    const checkpoint = crashed.checkpoint as { finalizedSets: string[] };
    // the kill lands at the first written set, or a set or two later (the child goes on while the line travels)
    expect(checkpoint.finalizedSets.length).toBeGreaterThanOrEqual(1);
    expect(checkpoint.finalizedSets.length).toBeLessThan(setup.params.hooks.length + setup.params.dictionaries.length);
    const resumed = await executeJob(db.prisma, job.id);
    expect(resumed.error).toBeNull();
    expect(resumed.status).toBe("SUCCEEDED");
    expect(await dumpAtlas(db.prisma, setup.model.id)).toEqual(expected);
  } finally {
    await release(db);
  }
});

test("a build killed mid-pass resumes from its checkpoint to exactly the uninterrupted result", async () => {
  let db = await open();
  const setup = await smallSetup(db.prisma, 96, 32);
  const reference = await executeJob(db.prisma, (await createAtlasBuildJob(db.prisma, setup.params)).id);
  expect(reference.status).toBe("SUCCEEDED");
  const expected = await dumpAtlas(db.prisma, setup.model.id);
  const expectedRows = await db.prisma.topActivation.count();
  await db.prisma.unit.deleteMany({ where: { modelId: setup.model.id } });
  const job = await createAtlasBuildJob(db.prisma, setup.params);
  await release(db);

  const run = await runChildAndKill(job.id, 3);
  expect(run.finished).toBe(false);
  expect(run.killedAfter!.examplesDone).toBeGreaterThanOrEqual(48);
  db = await open();

  try {
    const crashed = await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(crashed.status).toBe("RUNNING");
    expect(crashed.checkpoint).not.toBeNull();
    expect(crashed.progress).toBeGreaterThan(0);
    expect(crashed.progress).toBeLessThan(0.85);

    const resumed = await executeJob(db.prisma, job.id);
    expect(resumed.error).toBeNull();
    expect(resumed.status).toBe("SUCCEEDED");
    expect(await db.prisma.topActivation.count()).toBe(expectedRows);
    expect(await dumpAtlas(db.prisma, setup.model.id)).toEqual(expected);
  } finally {
    await release(db);
  }
});
