// Similar units + unit-set map cost at real sizes: runs the finalize step (`unitSetNeighbours`: decoder-cosine and
// activation-correlation top-k, then the seeded UMAP) on random data shaped like the unit sets of the default
// atlas (256 units, d_model 64, probe 512) and of a ViT-B/32 atlas (vision MLP 3072 × 768, text MLP 2048 × 512,
// probe 200 / 100 as in bench:large), and extrapolates to the 61,440 MLP neurons of 24 hooks.
// Run: npx tsx --tsconfig tsconfig.base.json libs/builder/bench/neighbours.bench.ts
import { SeededRng } from "@mmatlas/atlas";
import { unitSetNeighbours } from "../src/finalize/neighbours";

const SHAPES = [
  { name: "default atlas set (256 × 64, probe 512)", units: 256, dim: 64, probe: 512, sets: 7 },
  { name: "ViT-B/32 text MLP (2048 × 512, probe 100)", units: 2048, dim: 512, probe: 100, sets: 12 },
  { name: "ViT-B/32 vision MLP (3072 × 768, probe 200)", units: 3072, dim: 768, probe: 200, sets: 12 },
];

const rng = new SeededRng(1);
let total = 0;
for (const s of SHAPES) {
  const directions = Float32Array.from({ length: s.units * s.dim }, () => rng.next() - 0.5);
  const activations = Float32Array.from({ length: s.probe * s.units }, () => Math.max(0, rng.next() - 0.7));
  const t = performance.now();
  const r = unitSetNeighbours({
    units: s.units,
    directions: { data: directions, dim: s.dim },
    activations: { data: activations, probe: s.probe },
  });
  const seconds = (performance.now() - t) / 1000;
  if (s.sets > 1 && s.units > 256) total += seconds * s.sets;
  console.log(
    JSON.stringify({
      set: s.name,
      neighboursS: +r.seconds.neighbours.toFixed(2),
      mapS: +r.seconds.map.toFixed(2),
      totalS: +seconds.toFixed(2),
      sets: s.sets,
      allSetsS: +(seconds * s.sets).toFixed(1),
      placed: r.map?.layout.placed,
    }),
  );
}
console.log(JSON.stringify({ vitB32AllMlpSetsS: +total.toFixed(1) }));
