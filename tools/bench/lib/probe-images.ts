// Probe bench inputs: deterministic single-object scenes of the built-in shapes dataset, as base64 PNGs, and the
// linear congruential generator that jitters their rendering, so that probe benches share identical images.
import { COLORS, encodePng, IMAGE_SIZE, renderScene, SHAPES, type Scene } from "@mmatlas/model-zoo";

/** A seeded uniform [0, 1) generator (the classic LCG). */
export function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** The i-th bench image: one large object whose color, shape, position and radius cycle with i. */
export function sceneImage(i: number, rng: () => number): string {
  const scene: Scene = {
    kind: "object",
    objects: [
      {
        color: COLORS[i % COLORS.length],
        shape: SHAPES[(i >> 3) % SHAPES.length],
        size: "large",
        position: "center",
        cx: 10 + (i % 13),
        cy: 10 + ((i * 7) % 13),
        r: 6 + (i % 3),
      },
    ],
  };
  return encodePng(renderScene(scene, rng), IMAGE_SIZE, IMAGE_SIZE).toString("base64");
}
