// Runs bench:api's steady load (lib/open-loop.ts: a warm-up, then the measured run) in a process of its own, so
// that garbage left in the benchmark process by the saturating autocannon runs cannot stall the generator and
// be counted as server latency. Usage (from api.bench.ts): tsx open-loop-child.ts '<json SteadyArgs>'; the last
// line of stdout is the OpenLoopResult as JSON.
import { scenarios, rng, type AtlasName, type ScenarioName } from "./api-scenarios";
import { openLoop } from "./open-loop";
import type { BuiltAtlas } from "./built-atlas";

export interface SteadyArgs {
  url: string;
  scenario: ScenarioName;
  atlas: AtlasName;
  units: number;
  /** atlas "built": its model, hooks and units */
  built?: BuiltAtlas;
  rate: number;
  connections: number;
  durationS: number;
  warmupS: number;
  seed: number;
  /** POST here after the warm-up (the API's diagnostics window starts with the measured run) */
  resetUrl?: string;
}

async function main() {
  const a = JSON.parse(process.argv[2]) as SteadyArgs;
  const s = scenarios(a.units, a.atlas, a.built).find((x) => x.name === a.scenario);
  if (!s) throw new Error(`unknown scenario ${a.scenario}`);
  const r = rng(a.seed);
  await openLoop({ url: a.url, rate: a.rate, connections: a.connections, durationS: a.warmupS, body: () => s.body(r) });
  if (a.resetUrl) await fetch(a.resetUrl, { method: "POST" });
  const res = await openLoop({
    url: a.url,
    rate: a.rate,
    connections: a.connections,
    durationS: a.durationS,
    body: () => s.body(r),
  });
  console.log(JSON.stringify(res));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
