// V8 heap setting for API processes (issue 19): a 64 MB young-generation semi-space instead of V8's 16 MB. A unit
// page leaves ≈0.5 MB of short-lived garbage (GraphQL execution, rows, the response), so at 200 requests/s the
// default semi-space filled every ≈30 requests and the scavenges took a large share of the process's time; with
// 64 MB they are ≈4× fewer (docs/benchmarks.md, bench:api). V8 reads it only at start, so it goes into the
// NODE_OPTIONS of the API processes we spawn (npm start, npm run cluster, the benchmarks). A --max-semi-space-size
// already in NODE_OPTIONS wins; MMATLAS_API_SEMI_SPACE_MB sets another size (0: V8's default).
export const API_SEMI_SPACE_MB = 64;

/** `env` with the API's semi-space size added to NODE_OPTIONS (unchanged when it sets one itself). */
export function withApiHeapTuning(env = process.env) {
  const out = { ...env };
  const raw = env.MMATLAS_API_SEMI_SPACE_MB;
  const mb = raw === undefined || raw === "" ? API_SEMI_SPACE_MB : Number(raw);
  if (!Number.isInteger(mb) || mb < 0)
    throw new Error(`MMATLAS_API_SEMI_SPACE_MB must be a non-negative integer, got "${raw}"`);
  const options = env.NODE_OPTIONS ?? "";
  if (mb === 0 || /--max-semi-space-size/.test(options)) return out;
  out.NODE_OPTIONS = `${options} --max-semi-space-size=${mb}`.trim();
  return out;
}
