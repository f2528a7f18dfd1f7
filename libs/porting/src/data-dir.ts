// Where imported files live: DATA_DIR (@mmatlas/db's dataDir), with models/<name>/ and saes/<model>/<name>/.
import { cpSync, mkdirSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@mmatlas/db";

export { dataDir };

/** A safe folder name: letters, digits, . _ - (others become -). */
export const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "") || "unnamed";

/** True when `child` is `parent` or a path below it. */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(path.resolve(parent), path.resolve(child));
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Copies `src` (a folder) into `dest`, replacing what was there; returns dest. */
export function copyFolder(src: string, dest: string): string {
  mkdirSync(path.dirname(dest), { recursive: true });
  cpSync(src, dest, { recursive: true, force: true });
  return dest;
}
