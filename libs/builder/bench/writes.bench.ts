// `npm run bench:writes`: the atlas build's final writes at a real model's size. Synthetic, deterministic unit
// records with ViT-B/32's geometry (12 × 3,072 vision MLP units over 50 positions, 12 × 2,048 text MLP units over
// 77 token positions, 12 × 12 vision and 12 × 8 text heads; k = 20 TOP rows + 5 × 3 QUANTILE rows per neuron) are
// written with writeUnits, one call per unit set as the build does, into a fresh PGlite folder and a fresh
// PostgreSQL database (127.0.0.1:5432, created and dropped here; skipped when unreachable), then written again
// (a rebuild: the update path). After each neuron set's units, its similar units (10 by output-direction cosine and
// 10 by activation correlation per unit) and map points are written with writeNeighbours, as finalize does; their
// seconds are a column of their own. Prints a table and writes artifacts/bench/writes.json.
//   BENCH_WRITES_SCALE=0.1          fraction of each set's units (default 1 = the full 61,680 units)
//   BENCH_WRITES_DBS=pglite,postgres which databases (default both)
//   BENCH_WRITES_COMPARE=<file.ts>  another module exporting writeUnits (and optionally writeNeighbours; e.g. an older
//                                   version), measured side by side
//   BENCH_WRITES_TEXT_VALUES=padded text rows carry all 77 positions, as builds before 2026-12-07 stored them
//                                   (default: tokens, one value per token of the row's caption, 6–20 like the
//                                   bench:large captions)
//   BENCH_WRITES_PG_URL             admin URL of the PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/postgres)
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { migrateDatabase, openDatabase, repoRoot, type Database, type PrismaClient } from "@mmatlas/db";
import pg from "pg";
import { STORED_NEIGHBOURS, type UnitSetNeighbours } from "../src/finalize/neighbours";
import { writeNeighbours } from "../src/finalize/write-neighbours";
import { writeUnits, type TopRow, type UnitOwner, type UnitRecord } from "../src/finalize/write-units";
import { SeededRng } from "@mmatlas/atlas";

interface Writers {
  writeUnits: typeof writeUnits;
  writeNeighbours: typeof writeNeighbours;
}

interface SetSpec {
  name: string;
  tower: "VISION" | "TEXT";
  layer: number;
  kind: "MLP" | "ATTN_PATTERN";
  units: number;
  positions: number;
}

const K = 20;
const BANDS = 5;
const PER_BAND = 3;
const EXAMPLES = 20_000; // half images, half texts
/** text rows: one value per caption token (6–20, as the build stores them), or all 77 positions (older builds) */
const TEXT_VALUES = process.env.BENCH_WRITES_TEXT_VALUES === "padded" ? "padded" : "tokens";

function setSpecs(scale: number): SetSpec[] {
  const n = (units: number) => Math.max(1, Math.round(units * scale));
  const out: SetSpec[] = [];
  for (let layer = 0; layer < 12; layer++) {
    out.push({
      name: `vision.blocks.${layer}.mlp.hook_post`,
      tower: "VISION",
      layer,
      kind: "MLP",
      units: n(3072),
      positions: 50,
    });
    out.push({
      name: `text.blocks.${layer}.mlp.hook_post`,
      tower: "TEXT",
      layer,
      kind: "MLP",
      units: n(2048),
      positions: 77,
    });
    out.push({
      name: `vision.blocks.${layer}.attn.hook_pattern`,
      tower: "VISION",
      layer,
      kind: "ATTN_PATTERN",
      units: 12,
      positions: 0,
    });
    out.push({
      name: `text.blocks.${layer}.attn.hook_pattern`,
      tower: "TEXT",
      layer,
      kind: "ATTN_PATTERN",
      units: 8,
      positions: 0,
    });
  }
  return out;
}

/** mulberry32: a small deterministic PRNG (same records on every run). */
function rng(seed: number): () => number {
  const r = new SeededRng(seed);
  return () => r.next();
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** One unit set's records, shaped as unit-records.ts builds them (values rounded to 6 decimals). */
function setRecords(spec: SetSpec, setIndex: number): UnitRecord[] {
  const random = rng(1 + setIndex * 7919);
  const firstExample = spec.tower === "VISION" ? 0 : EXAMPLES / 2;
  const common = { jobId: "bench", hook: spec.name };
  return Array.from({ length: spec.units }, (_, u): UnitRecord => {
    const slug = `vit-b-32/${spec.name}/${u}`;
    if (spec.kind === "ATTN_PATTERN") {
      return {
        slug,
        kind: "ATTENTION_HEAD",
        index: u,
        maxActivation: null,
        density: null,
        histogram: null,
        autoLabels: null,
        topAutoLabel: null,
        multimodalScore: null,
        top: [],
        stats: {
          ...common,
          head: u,
          examples: EXAMPLES / 2,
          toCls: r6(random()),
          toSelf: r6(random()),
          toNeighbours: r6(random()),
          entropy: r6(random() * 3),
          crossModalMass: null,
          examplePatterns: [],
        },
      };
    }
    const top: TopRow[] = [];
    const used = new Set<number>();
    const example = () => {
      let e: number;
      do e = firstExample + Math.floor(random() * (EXAMPLES / 2));
      while (used.has(e));
      used.add(e);
      return e;
    };
    const row = (band: TopRow["band"], bandIndex: number, rank: number, peak: number): TopRow => {
      const positions =
        spec.tower === "TEXT" && TEXT_VALUES === "tokens" ? 6 + Math.floor(random() * 15) : spec.positions;
      const values = Array.from({ length: positions }, () => r6((random() - 0.2) * peak));
      values[Math.floor(random() * positions)] = peak;
      return { exampleIndex: example(), band, bandIndex, rank, maxValue: peak, values };
    };
    let peak = r6(2 + random() * 8);
    for (let rank = 0; rank < K; rank++, peak = r6(peak * (0.9 + random() * 0.1))) top.push(row("TOP", 0, rank, peak));
    for (let band = 0; band < BANDS; band++)
      for (let rank = 0; rank < PER_BAND; rank++)
        top.push(row("QUANTILE", band, rank, r6((peak * (band + random())) / BANDS)));
    const edges = Array.from({ length: 33 }, (_, i) => r6(1e-3 * 1.4 ** i));
    return {
      slug,
      kind: "NEURON",
      index: u,
      maxActivation: top[0].maxValue,
      density: r6(random()),
      histogram: {
        edges,
        counts: edges.slice(1).map(() => Math.floor(random() * 1000)),
        zero: 10,
        negative: 20,
        underflow: 0,
        overflow: 0,
        total: 25_000,
        over: "positions",
      },
      autoLabels: Array.from({ length: 10 }, (_, i) => ({
        label: `concept ${Math.floor(random() * 500)}`,
        score: r6(random()),
        method: i < 5 ? "clip-dissect" : "text-alignment",
      })),
      topAutoLabel: "concept",
      multimodalScore: r6(random()),
      stats: {
        ...common,
        mean: r6(random()),
        min: r6(-random()),
        examples: EXAMPLES / 2,
        multimodalConcept: null,
        quantileBands: [],
        causal: null,
      },
      top,
    };
  });
}

/** One neuron set's neighbour lists (both kinds, STORED_NEIGHBOURS each, random other units) and map points. */
function setNeighbours(spec: SetSpec, setIndex: number): UnitSetNeighbours {
  const random = rng(2 + setIndex * 104729);
  const n = spec.units,
    k = Math.min(STORED_NEIGHBOURS, n - 1);
  const lists = (["DECODER_COSINE", "ACTIVATION_CORRELATION"] as const).map((kind) => {
    const indices = new Int32Array(n * k),
      scores = new Float32Array(n * k),
      counts = new Int32Array(n).fill(k);
    for (let u = 0; u < n; u++)
      for (let r = 0; r < k; r++) {
        indices[u * k + r] = (u + 1 + Math.floor(random() * (n - 1))) % n;
        scores[u * k + r] = 1 - (r + random()) / (k + 1);
      }
    return { kind, lists: { n, k, indices, scores, counts } };
  });
  const x = Float32Array.from({ length: n }, () => random()),
    y = Float32Array.from({ length: n }, () => random());
  return {
    lists,
    map: { source: "DECODER_COSINE", layout: { x, y, placed: n, epochs: 0 } },
    seconds: { neighbours: 0, map: 0 },
  };
}

/** Model, hook points and a dataset of EXAMPLES examples (ids only; no images), as owners of the written units. */
async function seed(prisma: PrismaClient, specs: SetSpec[]): Promise<{ owners: UnitOwner[] }> {
  const model = await prisma.model.create({
    data: {
      name: "vit-b-32-bench",
      displayName: "ViT-B/32 (bench)",
      modality: "IMAGE_TEXT",
      architecture: "clip",
      onnxFiles: {},
      config: {},
      directory: "/nonexistent",
    },
  });
  const dataset = await prisma.dataset.create({
    data: { name: "bench-writes", modality: "IMAGE_TEXT", size: EXAMPLES },
  });
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Example" ("id", "datasetId", "index", "modality", "tags")
     SELECT 'bench-ex-' || g, $1, g, (CASE WHEN g < $2 THEN 'IMAGE' ELSE 'TEXT' END)::"Modality", '{}' FROM generate_series(0, $3 - 1) AS g`,
    dataset.id,
    EXAMPLES / 2,
    EXAMPLES,
  );
  const owners: UnitOwner[] = [];
  for (const s of specs) {
    const hook = await prisma.hookPoint.create({
      data: {
        modelId: model.id,
        name: s.name,
        tower: s.tower,
        layer: s.layer,
        kind: s.kind,
        width: s.kind === "MLP" ? 3072 : 12,
        tensor: s.name,
      },
    });
    owners.push({ modelId: model.id, hookPointId: hook.id, dictionaryId: null, datasetId: dataset.id });
  }
  return { owners };
}

interface RunResult {
  db: string;
  impl: string;
  run: "first build" | "rebuild";
  units: number;
  rows: number;
  values: number;
  /** wall seconds inside writeUnits; cpuSeconds: this process's CPU meanwhile (PGlite: all of it; PostgreSQL: the client's) */
  seconds: number;
  cpuSeconds: number;
  /** wall seconds inside writeNeighbours, and the UnitNeighbour rows written */
  neighbourSeconds: number;
  neighbourRows: number;
}

async function writeAll(
  prisma: PrismaClient,
  impl: Writers,
  specs: SetSpec[],
  owners: UnitOwner[],
): Promise<Omit<RunResult, "db" | "impl" | "run">> {
  let seconds = 0,
    cpuSeconds = 0,
    neighbourSeconds = 0,
    neighbourRows = 0,
    units = 0,
    rows = 0,
    values = 0;
  for (let i = 0; i < specs.length; i++) {
    const records = setRecords(specs[i], i); // generated outside the timed part
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    await impl.writeUnits(prisma, owners[i], records);
    seconds += Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    cpuSeconds += (cpu.user + cpu.system) / 1e6;
    if (specs[i].kind === "MLP") {
      const near = setNeighbours(specs[i], i);
      const t1 = process.hrtime.bigint();
      await impl.writeNeighbours(prisma, owners[i], "NEURON", near);
      neighbourSeconds += Number(process.hrtime.bigint() - t1) / 1e9;
      neighbourRows += near.lists.reduce((a, l) => a + l.lists.n * l.lists.k, 0);
    }
    units += records.length;
    for (const r of records) {
      rows += r.top.length;
      for (const t of r.top) values += t.values.length;
    }
  }
  return { seconds, cpuSeconds, units, rows, values, neighbourSeconds, neighbourRows };
}

/** A fresh database: a new PGlite folder, or a uniquely named PostgreSQL database (dropped by dispose). */
async function freshDatabase(
  kind: "pglite" | "postgres",
  adminUrl: string,
): Promise<{ db: Database; dispose: () => Promise<void> } | null> {
  if (kind === "pglite") {
    const dir = mkdtempSync(path.join(tmpdir(), "mmatlas-bench-writes-"));
    await migrateDatabase({ pgliteDir: dir });
    const db = await openDatabase({ pgliteDir: dir });
    return {
      db,
      dispose: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const name = `mmatlas_bench_writes_${randomBytes(5).toString("hex")}`;
  try {
    await admin(`CREATE DATABASE "${name}"`);
  } catch (e) {
    console.log(
      `PostgreSQL skipped: ${adminUrl.replace(/\/\/[^@/]*@/, "//***@")} is not reachable (${(e as Error).message})`,
    );
    return null;
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  await migrateDatabase({ url: u.toString() });
  const db = await openDatabase({ url: u.toString() });
  return {
    db,
    dispose: async () => {
      await db.close();
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

async function main() {
  const scale = Number(process.env.BENCH_WRITES_SCALE ?? "1");
  if (!(scale > 0 && scale <= 1))
    throw new Error(`BENCH_WRITES_SCALE must be in (0, 1], got "${process.env.BENCH_WRITES_SCALE}"`);
  const dbs = (process.env.BENCH_WRITES_DBS ?? "pglite,postgres").split(",").map((s) => s.trim()) as (
    "pglite" | "postgres"
  )[];
  const adminUrl = process.env.BENCH_WRITES_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const impls: [string, Writers][] = [];
  if (process.env.BENCH_WRITES_COMPARE) {
    const mod = (await import(path.resolve(process.env.BENCH_WRITES_COMPARE))) as Partial<Writers>;
    if (!mod.writeUnits) throw new Error(`${process.env.BENCH_WRITES_COMPARE} exports no writeUnits`);
    impls.push([
      path.basename(process.env.BENCH_WRITES_COMPARE, ".ts"),
      { writeUnits: mod.writeUnits, writeNeighbours: mod.writeNeighbours ?? writeNeighbours },
    ]);
  }
  impls.push(["current", { writeUnits, writeNeighbours }]);
  const specs = setSpecs(scale);
  const results: RunResult[] = [];
  for (const kind of dbs) {
    for (const [impl, fn] of impls) {
      const fresh = await freshDatabase(kind, adminUrl);
      if (!fresh) break;
      try {
        const { owners } = await seed(fresh.db.prisma, specs);
        for (const run of ["first build", "rebuild"] as const) {
          const r = { db: kind, impl, run, ...(await writeAll(fresh.db.prisma, fn, specs, owners)) };
          results.push(r);
          console.error(
            `${kind} ${impl} ${run}: ${r.seconds.toFixed(1)} s, neighbours ${r.neighbourSeconds.toFixed(1)} s`,
          );
        }
        const stored = await fresh.db.prisma.topActivation.count();
        const expected = results.at(-1)!.rows;
        if (stored !== expected)
          throw new Error(`${kind} ${impl}: ${stored} TopActivation rows stored, expected ${expected}`);
        const storedNeighbours = await fresh.db.prisma.unitNeighbour.count();
        if (storedNeighbours !== results.at(-1)!.neighbourRows)
          throw new Error(
            `${kind} ${impl}: ${storedNeighbours} UnitNeighbour rows stored, expected ${results.at(-1)!.neighbourRows}`,
          );
      } finally {
        await fresh.dispose();
      }
    }
  }
  const header = [
    "database",
    "writeUnits",
    "run",
    "units",
    "rows",
    "values",
    "seconds",
    "node CPU s",
    "rows/s",
    "units/s",
    "full-size estimate",
    "neighbour rows",
    "neighbours s",
    "neighbours full-size estimate",
  ];
  const table = results.map((r) => [
    r.db,
    r.impl,
    r.run,
    String(r.units),
    String(r.rows),
    String(r.values),
    r.seconds.toFixed(2),
    r.cpuSeconds.toFixed(2),
    Math.round(r.rows / r.seconds).toString(),
    Math.round(r.units / r.seconds).toString(),
    `${(r.seconds / scale).toFixed(0)} s`,
    String(r.neighbourRows),
    r.neighbourSeconds.toFixed(2),
    `${(r.neighbourSeconds / scale).toFixed(0)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  for (const row of [header, ...table])
    console.log(row.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
  console.log(
    `scale ${scale} of ViT-B/32 (${specs.reduce((n, s) => n + s.units, 0)} units), text values: ${TEXT_VALUES}, ${cpus().length} CPU cores`,
  );
  const out = path.join(repoRoot(), "artifacts", "bench", "writes.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ scale, textValues: TEXT_VALUES, cpus: cpus().length, at: new Date().toISOString(), results: results.map((r) => ({ ...r, rowsPerSecond: r.rows / r.seconds, fullSizeSecondsEstimate: r.seconds / scale })) }, null, 2)}\n`,
  );
  console.log(`wrote ${path.relative(repoRoot(), out)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
