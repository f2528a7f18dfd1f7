// `npm run atlas` on a database nothing has prepared (no `npm start` before it): the real CLI, run as a child
// process through tools/tuned.mjs like the npm script, migrates the database and registers the built-in model
// once, so `import sae <folder> -m clip-shapes` works at once; later commands find it and register nothing.
// Runs on a new, unmigrated PostgreSQL database under TEST_DATABASE_URL, else on a new PGlite folder.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase, repoRoot, type Database } from "@mmatlas/db";
import { builtinManifestPath, builtinModelDir, encodePng, generateExample } from "@mmatlas/model-zoo";

jest.setTimeout(240_000);

const ROOT = repoRoot();
const adminUrl = process.env.TEST_DATABASE_URL;
const work = mkdtempSync(path.join(tmpdir(), "mmatlas-cli-fresh-"));
const pgliteDir = path.join(work, "pglite");
let databaseUrl: string | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (!adminUrl) return;
  const name = `mmatlas_test_cli_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE DATABASE "${name}"`); // empty: no migrations applied
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  databaseUrl = u.toString();
  dropDatabase = () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

afterAll(async () => {
  await dropDatabase?.();
  rmSync(work, { recursive: true, force: true });
});

/** `npm run atlas -- <args>` against this test's database */
function atlas(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: path.join(work, "data") };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else {
    delete env.DATABASE_URL;
    env.PGLITE_DIR = pgliteDir;
  }
  const child = spawn(process.execPath, [path.join(ROOT, "tools/tuned.mjs"), "apps/cli/src/main.ts", ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "",
    stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(databaseUrl ? { url: databaseUrl } : { pgliteDir });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const manifest = JSON.parse(readFileSync(builtinManifestPath(), "utf8")) as {
  name: string;
  hookPoints: { name: string }[];
  saes: { name: string }[];
};

it("prints its help without a database", async () => {
  const r = await atlas("--help");
  expect(r.stderr).not.toMatch(/MODULE_NOT_FOUND|Cannot find module/);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Commands:[\s\S]*build[\s\S]*export[\s\S]*import/);
});

it("imports an SAE into the built-in model on an empty database, then finds the model on later runs", async () => {
  const sae = path.join(builtinModelDir(), "saes", manifest.saes[0].name);
  const imported = await atlas("import", "sae", sae, "-m", manifest.name, "--name", "cli-fresh-copy");
  expect(imported.stderr).toContain(`Registered the built-in model ${manifest.name}`);
  expect(imported.code).toBe(0);
  expect(imported.stdout).toMatch(/SAE cli-fresh-copy: /);

  const first = await withDb(async ({ prisma }) => {
    const model = await prisma.model.findUniqueOrThrow({
      where: { name: manifest.name },
      include: { hookPoints: true, dictionaries: true },
    });
    expect(model.hookPoints.map((h) => h.name).sort()).toEqual(manifest.hookPoints.map((h) => h.name).sort());
    expect(model.dictionaries.map((d) => d.name).sort()).toEqual(
      [...manifest.saes.map((s) => s.name), "cli-fresh-copy"].sort(),
    );
    return model;
  });

  // a read-only command: stdout carries only its data, the model is found (by name and by id), nothing is registered again
  for (const ref of [manifest.name, first.id]) {
    const exported = await atlas("export", "atlas", "--model", ref);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe("");
    expect(exported.stderr).not.toContain("Registered");
  }
  const missing = await atlas("export", "atlas", "--model", "no-such-model");
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('Model "no-such-model" not found');

  await withDb(async ({ prisma }) => {
    expect(await prisma.model.count()).toBe(1);
    const again = await prisma.model.findUniqueOrThrow({
      where: { name: manifest.name },
      include: { dictionaries: true },
    });
    expect(again.id).toBe(first.id);
    expect(again.dictionaries).toHaveLength(manifest.saes.length + 1);
  });
});

it("builds only the SAE named by --saes over an imported image folder, then removes it with its files", async () => {
  const images = path.join(work, "images");
  for (let i = 0; i < 12; i++) {
    const ex = generateExample(5, i);
    const png = encodePng(ex.pixels, ex.width, ex.width);
    mkdirSync(path.join(images, i % 2 ? "odd" : "even"), { recursive: true });
    writeFileSync(path.join(images, i % 2 ? "odd" : "even", `${i}.png`), png);
  }
  expect((await atlas("import", "dataset", images, "--name", "cli-tiny")).code).toBe(0);
  const args = ["--saes", "cli-fresh-copy", "--dataset", "cli-tiny", "--k", "3", "--probe-size", "8"];
  // --dry-run: the plan, nothing queued; over BUILD_MEMORY_LIMIT_MB it is refused, saying what would fit
  const dry = await atlas("build", ...args, "--dry-run");
  expect(dry.code).toBe(0);
  expect(dry.stdout).toMatch(/^unit set\s+kind\s+units\s+positions\s+state\s+tensor per example$/m);
  expect(dry.stdout).toMatch(/^sae:cli-fresh-copy\s+SAE_FEATURE\s+256\s+17\s+[\d.]+ MB\s+[\d.]+ MB$/m);
  expect(dry.stdout).toMatch(/1 unit sets, k = 3, batch size 128\nmemory: accumulators .* \(budget [\d.]+ GB\)/);
  process.env.BUILD_MEMORY_LIMIT_MB = "1";
  const tooBig = await atlas("build", ...args, "--batch-size", "6", "--dry-run").finally(
    () => delete process.env.BUILD_MEMORY_LIMIT_MB,
  );
  expect(tooBig.code).toBe(1);
  expect(tooBig.stderr).toMatch(
    /this build needs more memory than it may use: .*Largest accumulator states: sae:cli-fresh-copy/,
  );
  await withDb(async ({ prisma }) => expect(await prisma.job.count()).toBe(0));

  const built = await atlas("build", ...args, "--causal-units", "0", "--batch-size", "6");
  expect(built.stderr).toMatch(/0 hooks, 1 SAEs, k=3, batch 6\nMemory: accumulators /);
  expect(built.code).toBe(0);
  await withDb(async ({ prisma }) => {
    const units = await prisma.unit.groupBy({ by: ["dictionaryId"], _count: true });
    const dict = await prisma.dictionary.findFirstOrThrow({ where: { name: "cli-fresh-copy" } });
    expect(units).toEqual([{ dictionaryId: dict.id, _count: dict.dSae }]); // no hook neurons, no other SAE
    // the CLI ran the SCORE_LABELS job the build queued: its units' labels are scored on the images after the probe set
    const scoring = await prisma.job.findFirstOrThrow({ where: { kind: "SCORE_LABELS" } });
    expect(scoring.status).toBe("SUCCEEDED");
    expect(await prisma.labelScore.count({ where: { unit: { dictionaryId: dict.id } } })).toBeGreaterThan(0);
  });
  expect(built.stdout).toMatch(/Label scoring job \S+ SUCCEEDED/);
  const removed = await atlas("remove", "sae", "cli-fresh-copy", "-m", manifest.name);
  expect(removed.code).toBe(0);
  expect(removed.stdout).toMatch(/removed dictionary cli-fresh-copy: 256 units, 0 annotations/);
  expect(existsSync(path.join(work, "data", "saes", manifest.name, "cli-fresh-copy"))).toBe(false);
  await withDb(async ({ prisma }) => expect(await prisma.unit.count()).toBe(0));
});
