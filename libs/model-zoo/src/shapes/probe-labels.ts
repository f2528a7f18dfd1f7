// Class labels of a scene per concept family, for linear probes: the index of the family's value in
// vocabulary order (COLORS, SHAPES, SIZES, POSITIONS, WORDS), or −1 when the scene has no value of that
// family or several different ones (e.g. the two colors of a pair), so the probe leaves the example out.
import type { Scene } from "./scene";
import { COLORS, POSITIONS, SHAPES, SIZES, WORDS } from "./vocabulary";

export const PROBE_FAMILIES = ["color", "shape", "size", "position", "word"] as const;
export type ProbeFamilyName = (typeof PROBE_FAMILIES)[number];

/** The classes of each probe family, in label-index order. */
export const PROBE_CLASSES: Record<ProbeFamilyName, readonly string[]> = {
  color: COLORS,
  shape: SHAPES,
  size: SIZES,
  position: POSITIONS,
  word: WORDS,
};

const single = (values: readonly string[], classes: readonly string[]): number =>
  values.length > 0 && values.every((v) => v === values[0]) ? classes.indexOf(values[0]) : -1;

/** One label per family for a scene (−1 = absent or ambiguous). */
export function sceneProbeLabels(scene: Scene): Record<ProbeFamilyName, number> {
  const o = scene.objects;
  return {
    color: single(
      o.map((x) => x.color),
      COLORS,
    ),
    shape: single(
      o.map((x) => x.shape),
      SHAPES,
    ),
    size: single(
      o.map((x) => x.size),
      SIZES,
    ),
    position: single(
      o.map((x) => x.position),
      POSITIONS,
    ),
    word: scene.word ? WORDS.indexOf(scene.word) : -1,
  };
}

/** Label vectors per family for a list of scenes (Int32Array per family, −1 = leave out). */
export function probeLabelVectors(scenes: readonly Scene[]): Record<ProbeFamilyName, Int32Array> {
  const out = Object.fromEntries(PROBE_FAMILIES.map((f) => [f, new Int32Array(scenes.length)])) as Record<
    ProbeFamilyName,
    Int32Array
  >;
  scenes.forEach((scene, i) => {
    const labels = sceneProbeLabels(scene);
    for (const f of PROBE_FAMILIES) out[f][i] = labels[f];
  });
  return out;
}
