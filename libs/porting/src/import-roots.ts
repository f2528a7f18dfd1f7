// Which server folders a remote admin may import from (GraphQL importSae / importModel): IMPORT_ROOTS, a
// comma-separated list of folders, default <DATA_DIR>/inbox. A relative folder is read from the first root; an
// absolute one must lie inside a root once symbolic links are resolved, so a request cannot reach other files.
import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { AppError } from "@mmatlas/errors";
import { dataDir, isInside } from "./data-dir";

export function importRoots(env: Record<string, string | undefined> = process.env): string[] {
  const listed = (env.IMPORT_ROOTS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return (listed.length ? listed : [path.join(dataDir(env), "inbox")]).map((r) => path.resolve(r));
}

export function resolveImportFolder(folder: string, roots: string[] = importRoots()): string {
  if (typeof folder !== "string" || !folder.trim() || folder.includes("\0"))
    throw AppError.badInput("folder is required", "folder");
  const candidate = path.resolve(roots[0], folder);
  const real = existsSync(candidate) ? realpathSync(candidate) : null;
  const allowed = roots.filter(existsSync).map((r) => realpathSync(r));
  if (!real || !allowed.some((r) => isInside(real, r)))
    throw AppError.badInput(
      `folder ${JSON.stringify(folder)} is not a folder inside the import roots (IMPORT_ROOTS: ${roots.join(", ")})`,
      "folder",
    );
  return real;
}
