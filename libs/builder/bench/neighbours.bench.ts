// Similar units + unit-set map cost at real sizes: runs the finalize step (`unitSetNeighbours`: decoder-cosine and
// activation-correlation top-k, then the seeded UMAP) on random data shaped like the unit sets of the default
// atlas (256 units, d_model 64, probe 512) and of a ViT-B/32 atlas (vision MLP 3072 × 768, text MLP 2048 × 512,
// probe 200 / 100 as in bench:large), and extrapolates to the 61,440 MLP neurons of 24 hooks. Each set runs twice,
// side by side: dot products in the exact float64 JavaScript pass, then on onnxruntime's Gemm (`onnxRowProducts`,
// what a build uses from PRODUCTS_FROM multiply-adds on), with the share of identical neighbour lists.
// Run: npx tsx --tsconfig tsconfig.base.json libs/builder/bench/neighbours.bench.ts  (INFERENCE_THREADS=n optional)
import { SeededRng } from "@mmatlas/atlas";
import { onnxRowProducts } from "@mmatlas/inference";
import { unitSetNeighbours, type UnitSetNeighbours } from "../src/finalize/neighbours";

const SHAPES = [
  { name: "default atlas set (256 × 64, probe 512)", units: 256, dim: 64, probe: 512, sets: 7 },
  { name: "ViT-B/32 text MLP (2048 × 512, probe 100)", units: 2048, dim: 512, probe: 100, sets: 12 },
  { name: "ViT-B/32 vision MLP (3072 × 768, probe 200)", units: 3072, dim: 768, probe: 200, sets: 12 },
];

/** share of units whose neighbour list (indices, in order) is the same in both results, per kind */
function sameLists(a: UnitSetNeighbours, b: UnitSetNeighbours): number[] {
  return a.lists.map((l, i) => {
    const x = l.lists,
      y = b.lists[i].lists;
    let same = 0;
    for (let u = 0; u < x.n; u++) {
      let eq = true;
      for (let r = 0; r < x.k && eq; r++) eq = x.indices[u * x.k + r] === y.indices[u * x.k + r];
      if (eq) same++;
    }
    return +(same / x.n).toFixed(4);
  });
}

async function main() {
  const threads = Number(process.env.INFERENCE_THREADS) || undefined;
  const products = onnxRowProducts({ intraOpNumThreads: threads });
  const rng = new SeededRng(1);
  const totals = { js: 0, onnx: 0 };
  for (const s of SHAPES) {
    const directions = Float32Array.from({ length: s.units * s.dim }, () => rng.next() - 0.5);
    const activations = Float32Array.from({ length: s.probe * s.units }, () => Math.max(0, rng.next() - 0.7));
    const input = {
      units: s.units,
      directions: { data: directions, dim: s.dim },
      activations: { data: activations, probe: s.probe },
    };
    const js = await unitSetNeighbours(input);
    const onnx = await unitSetNeighbours(input, { products, productsFrom: 0 });
    if (s.units > 256) {
      totals.js += (js.seconds.neighbours + js.seconds.map) * s.sets;
      totals.onnx += (onnx.seconds.neighbours + onnx.seconds.map) * s.sets;
    }
    console.log(
      JSON.stringify({
        set: s.name,
        neighboursJsS: +js.seconds.neighbours.toFixed(3),
        neighboursOnnxS: +onnx.seconds.neighbours.toFixed(3),
        speedup: +(js.seconds.neighbours / onnx.seconds.neighbours).toFixed(1),
        sameLists: sameLists(js, onnx),
        mapS: +js.seconds.map.toFixed(2),
        sets: s.sets,
      }),
    );
  }
  console.log(
    JSON.stringify({ vitB32AllMlpSetsS: { js: +totals.js.toFixed(1), onnx: +totals.onnx.toFixed(1) }, threads }),
  );
}

void main();
