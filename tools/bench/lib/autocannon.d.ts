// Minimal typing for the parts of autocannon 9 the benchmarks use (the package ships no types).
declare module "autocannon" {
  interface Histogram {
    p50: number;
    p90: number;
    p99: number;
    max: number;
    average: number;
    mean: number;
  }
  interface Result {
    requests: Histogram & { total: number };
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  function autocannon(opts: Record<string, unknown>): Promise<Result>;
  export default autocannon;
}
