// Jest global setup for e2e: makes sure a production build of the web app exists (builds it once if
// missing; `npm test` always rebuilds first) and that the artifacts folder is there.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { ARTIFACTS_DIR, NEXT_BIN, REPO_ROOT, WEB_BUILD_ID, WEB_DIR } from "./paths";

export default function globalSetup(): void {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  if (existsSync(WEB_BUILD_ID)) return;
  console.log("\n[e2e] no web build found: running `next build apps/web` ...");
  const result = spawnSync(process.execPath, [NEXT_BIN, "build", WEB_DIR], {
    cwd: REPO_ROOT,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build apps/web failed (exit ${result.status ?? result.signal})`);
}
