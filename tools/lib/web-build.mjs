// Production build of apps/web, skipped when nothing it is built from changed since the last build
// (a hash of apps/web sources + package-lock.json is stamped into apps/web/.next after each build).
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, WEB_DIR, bin } from "./paths.mjs";
import { run } from "./run.mjs";

const STAMP = path.join(WEB_DIR, ".next", "mmatlas-build-stamp");
const SKIP = new Set([".next", "node_modules", "next-env.d.ts"]);

function listFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      if (SKIP.has(name)) return [];
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? listFiles(full) : [full];
    });
}

export function webSourceHash() {
  const hash = createHash("sha256");
  for (const file of [...listFiles(WEB_DIR), path.join(ROOT, "package-lock.json")]) {
    hash.update(path.relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

export function webBuildIsCurrent() {
  return (
    existsSync(path.join(WEB_DIR, ".next", "BUILD_ID")) &&
    existsSync(STAMP) &&
    readFileSync(STAMP, "utf8") === webSourceHash()
  );
}

/** `next build apps/web`; resolves to its exit code and stamps the build on success. */
export async function buildWeb() {
  const hash = webSourceHash();
  const code = await run(bin("next"), ["build", WEB_DIR], { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (code === 0) writeFileSync(STAMP, hash);
  return code;
}
