// Wording of a feature visualization's activation against the unit's dataset max (pure; tested).

/** "2.31 (1.8× the dataset max 1.27)", "0.40 (below the dataset max 1.27: 0.3×)", or the activation alone. */
export function activationVersusMax(activation: number, datasetMax: number | null | undefined): string {
  const a = activation.toFixed(2);
  if (datasetMax == null || !(datasetMax > 0)) return `${a} (no dataset max stored)`;
  const ratio = activation / datasetMax;
  const r = `${ratio.toFixed(1)}×`;
  return ratio >= 1
    ? `${a} (${r} the dataset max ${datasetMax.toFixed(2)})`
    : `${a} (below the dataset max ${datasetMax.toFixed(2)}: ${r})`;
}
