// Finalize's similar units with the dot products on onnxruntime (Runner.rowProducts / onnxRowProducts) against the
// exact float64 JavaScript pass: the same neighbour lists on random sets up to float32 near-ties, scores within
// 1e-5, and the size threshold that keeps small sets (the built-in model's) in JavaScript.
import { SeededRng } from "@mmatlas/atlas";
import { onnxRowProducts } from "@mmatlas/inference";
import { unitSetNeighbours } from "../src/finalize/neighbours";

jest.setTimeout(60_000);
const rng = new SeededRng(3);
const units = 240,
  dim = 40,
  probe = 56;
const input = {
  units,
  directions: { data: Float32Array.from({ length: units * dim }, () => rng.next() - 0.5), dim },
  activations: {
    data: Float32Array.from({ length: probe * units }, () => Math.max(0, rng.next() - 0.6)),
    probe,
  },
};

it("gives the JavaScript pass's neighbour lists (up to float32 near-ties) with the products on onnxruntime", async () => {
  const calls: number[] = [];
  const base = onnxRowProducts({ intraOpNumThreads: 1 });
  const products = async (rows: Float32Array, n: number, d: number) => {
    calls.push(d);
    return base(rows, n, d);
  };
  const js = await unitSetNeighbours(input);
  const onnx = await unitSetNeighbours(input, { products, productsFrom: 0 });
  expect(calls).toEqual([dim, probe]); // directions, then centered activation profiles
  for (const [i, kind] of ["DECODER_COSINE", "ACTIVATION_CORRELATION"].entries()) {
    const a = js.lists[i].lists,
      b = onnx.lists[i].lists;
    expect([js.lists[i].kind, onnx.lists[i].kind]).toEqual([kind, kind]);
    let same = 0;
    for (let u = 0; u < units; u++) {
      const row = (l: typeof a) => Array.from(l.indices.subarray(u * l.k, (u + 1) * l.k));
      if (row(a).join() === row(b).join()) same++;
    }
    expect(same / units).toBeGreaterThanOrEqual(0.98);
    let worst = 0;
    for (let r = 0; r < a.scores.length; r++) worst = Math.max(worst, Math.abs(a.scores[r] - b.scores[r]));
    expect(worst).toBeLessThan(1e-5); // a swapped near-tie has (almost) the same score in both places
  }
  expect(onnx.map?.layout.placed).toBe(js.map?.layout.placed);
});

it("keeps sets below productsFrom multiply-adds in JavaScript", async () => {
  const calls: number[] = [];
  const products = async (rows: Float32Array, n: number, d: number) => {
    calls.push(d);
    return onnxRowProducts({ intraOpNumThreads: 1 })(rows, n, d);
  };
  // between the two sizes: the correlation pass (probe 56) uses the products, the directions (d 40) stay in JS
  await unitSetNeighbours(input, { products, productsFrom: (units * units * probe) / 2 });
  expect(calls).toEqual([probe]);
  calls.length = 0;
  await unitSetNeighbours(input, { products }); // PRODUCTS_FROM: both below it at this size
  expect(calls).toEqual([]);
});
