// Suggests the known names closest to a misspelled one (edit distance, then shared-substring bonus).

export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** Up to `limit` names from `known` ordered by closeness to `wanted`. */
export function closeNames(wanted: string, known: Iterable<string>, limit = 5): string[] {
  const w = wanted.toLowerCase();
  return [...new Set(known)]
    .map((name) => {
      const n = name.toLowerCase();
      const contains = n.includes(w) || w.includes(n) ? -Math.min(n.length, w.length) : 0;
      return { name, score: editDistance(w, n) + contains };
    })
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, limit)
    .map((x) => x.name);
}

/** " (closest: a, b, c)" or "" when nothing is known. */
export function closeNamesHint(wanted: string, known: Iterable<string>, limit = 5): string {
  const names = closeNames(wanted, known, limit);
  return names.length ? ` (closest: ${names.join(", ")})` : "";
}
