// The processes that run ONNX inference start with the glibc malloc settings of tools/lib/malloc-tuning.mjs
// (through tools/tuned.mjs, which `npm run worker`, `npm run atlas` and the inference benches use); a value the
// caller set wins, MMATLAS_MALLOC_TUNING=0 turns them off, and the child's exit code comes back.
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../../..");
const FIXTURE = join(__dirname, "fixtures/print-malloc-env.ts");

function runTuned(env: Record<string, string | undefined>, exitCode = 0) {
  const base = { ...process.env };
  for (const k of ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MMATLAS_MALLOC_TUNING"])
    delete base[k];
  const r = spawnSync(process.execPath, [join(ROOT, "tools/tuned.mjs"), FIXTURE, String(exitCode)], {
    cwd: ROOT,
    env: { ...base, ...env },
    encoding: "utf8",
  });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  return { status: r.status, env: JSON.parse(line) as Record<string, string | null>, stderr: r.stderr };
}

describe("tools/tuned.mjs", () => {
  it("starts the script with the malloc settings: heap (not mmap) up to 32 MB, no trimming, 64 MB top pad", () => {
    const r = runTuned({});
    expect(r.status).toBe(0);
    expect(r.env).toEqual({
      MALLOC_MMAP_THRESHOLD_: String(32 * 1024 * 1024),
      MALLOC_TRIM_THRESHOLD_: String(1024 ** 3),
      MALLOC_TOP_PAD_: String(64 * 1024 * 1024),
    });
  }, 60_000);

  it("keeps a value the caller set, and MMATLAS_MALLOC_TUNING=0 leaves glibc's defaults", () => {
    expect(runTuned({ MALLOC_TOP_PAD_: "1234" }).env.MALLOC_TOP_PAD_).toBe("1234");
    expect(runTuned({ MMATLAS_MALLOC_TUNING: "0" }).env).toEqual({
      MALLOC_MMAP_THRESHOLD_: null,
      MALLOC_TRIM_THRESHOLD_: null,
      MALLOC_TOP_PAD_: null,
    });
  }, 60_000);

  it("exits with the script's exit code", () => {
    expect(runTuned({}, 3).status).toBe(3);
  }, 60_000);
});
