// `npm run bench:stats`: CPU nanoseconds per value of UnitStatsAccumulator.addPositions' two sweeps (by unit; by
// position, skipping exact zeros) and of its automatic choice, on hook tensors shaped and distributed like the
// build's: the built-in model's MLP and SAE outputs, ViT-B/32's MLP (dense GELU), and a real-size SAE (24,576
// features, ~64 active per position). Rounds alternate between the variants; the figure is the median of the CPU
// time per value (process.cpuUsage: less sensitive than wall time to other processes on a shared machine).
// Prints a table and writes artifacts/bench/stats.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { SeededRng, UnitStatsAccumulator, type PositionSweep } from "../src";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

/** uniform [0, 1) numbers from the atlas's own seeded generator */
function uniform(seed: number): () => number {
  const rng = new SeededRng(seed);
  return () => rng.next();
}
function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}
function gelu(r: () => number): number {
  const x = gaussian(r);
  return 0.5 * x * (1 + Math.tanh(0.7978845608 * (x + 0.044715 * x * x * x)));
}

interface Case {
  name: string;
  units: number;
  examples: number;
  positions: number;
  /** real positions per example (text: up to the eos) */
  valid?: (e: number) => number;
  value: (r: () => number) => number;
}

const CASES: Case[] = [
  { name: "built-in MLP (GELU) 256 × 17", units: 256, examples: 512, positions: 17, value: gelu },
  {
    name: "built-in SAE topk 8 of 256 × 17",
    units: 256,
    examples: 512,
    positions: 17,
    value: (r) => (r() < 8 / 256 ? r() * 3 : 0),
  },
  {
    name: "built-in SAE ReLU (~20 % active) 256 × 17",
    units: 256,
    examples: 512,
    positions: 17,
    value: (r) => (r() < 0.2 ? r() * 2 : 0),
  },
  { name: "ViT-B/32 MLP (GELU) 3,072 × 50", units: 3072, examples: 16, positions: 50, value: gelu },
  {
    name: "ViT-B/32 text MLP 2,048 × 77 (12 real)",
    units: 2048,
    examples: 16,
    positions: 77,
    valid: (e) => 8 + (e % 9),
    value: gelu,
  },
  {
    name: "SAE 24,576 × 50 (64 active)",
    units: 24576,
    examples: 4,
    positions: 50,
    value: (r) => (r() < 64 / 24576 ? r() * 4 : 0),
  },
];

const VARIANTS: (PositionSweep | "auto")[] = ["by-unit", "by-position", "auto"];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const results = CASES.map((c) => {
  const r = uniform(7);
  const values = Float32Array.from({ length: c.examples * c.positions * c.units }, () => c.value(r));
  const valid = c.valid ? Array.from({ length: c.examples }, (_, e) => c.valid!(e)) : undefined;
  const realValues = (valid ?? Array(c.examples).fill(c.positions)).reduce((a, b) => a + b, 0) * c.units;
  const acc = Object.fromEntries(
    VARIANTS.map((v) => [v, new UnitStatsAccumulator({ units: c.units, min: 1e-3, max: 1e2, bins: 40 })]),
  );
  const ns: Record<string, number[]> = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  // enough calls per round for ~20 ms of work
  const calls = Math.max(1, Math.round(2e6 / realValues));
  for (let round = 0; round < ROUNDS + 2; round++)
    for (const v of round % 2 ? [...VARIANTS].reverse() : VARIANTS) {
      const c0 = process.cpuUsage();
      for (let k = 0; k < calls; k++) acc[v].addPositions(values, c.examples, c.positions, valid, v);
      const used = process.cpuUsage(c0);
      if (round >= 2) ns[v].push(((used.user + used.system) * 1000) / (calls * realValues));
    }
  const byUnit = median(ns["by-unit"]),
    byPosition = median(ns["by-position"]),
    auto = median(ns.auto);
  const zeroShare = values.reduce((z, x) => z + (x === 0 ? 1 : 0), 0) / values.length;
  return { case: c.name, zeroShare, nsPerValue: { byUnit, byPosition, auto }, autoVsByUnit: byUnit / auto };
});

const rows = results.map((x) => [
  x.case,
  `${(100 * x.zeroShare).toFixed(1)} %`,
  x.nsPerValue.byUnit.toFixed(2),
  x.nsPerValue.byPosition.toFixed(2),
  x.nsPerValue.auto.toFixed(2),
  `${x.autoVsByUnit.toFixed(2)}×`,
]);
const head = ["tensor", "zeros", "by unit ns", "by position ns", "auto ns", "auto speed-up"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const r of [head, ...rows]) console.log(r.map((x, i) => x.padEnd(widths[i])).join("  "));
const load = loadavg().map((x) => x.toFixed(2));
console.log(
  `CPU ns per real value, median of ${ROUNDS} alternating rounds; load ${load.join(" ")}; ${cpus().length} cores`,
);
const out = path.resolve(__dirname, "../../../artifacts/bench/stats.json");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ rounds: ROUNDS, results, load, cpus: cpus().length, at: new Date().toISOString() }, null, 2)}\n`,
);
console.log(`wrote ${path.relative(process.cwd(), out)}`);
