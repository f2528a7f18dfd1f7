// Fixed locations the e2e harness uses: repo root, the web app and its build, the artifacts folder.
import path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const WEB_DIR = path.join(REPO_ROOT, "apps", "web");
export const WEB_BUILD_ID = path.join(WEB_DIR, ".next", "BUILD_ID");
export const NEXT_BIN = path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");
/** screenshots and server logs of the e2e run (gitignored) */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, "artifacts", "e2e");
export const BUILTIN_MANIFEST = path.join(REPO_ROOT, "libs", "model-zoo", "assets", "clip-shapes", "model.json");
