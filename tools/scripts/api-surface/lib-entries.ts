// Finds each lib's public entry points: `libs/<x>/package.json` "exports" (".", "./doc", "./testing", ...),
// else its "main", else src/index.ts. One entry = one import specifier (`@mmatlas/db`, `@mmatlas/db/testing`).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface LibEntry {
  /** import specifier, e.g. "@mmatlas/db/testing" */
  specifier: string;
  /** absolute path of the entry's index file */
  file: string;
}

export interface Lib {
  /** folder name under libs/, e.g. "db" */
  name: string;
  /** absolute path of libs/<name> */
  dir: string;
  /** package name, e.g. "@mmatlas/db" */
  packageName: string;
  /** "." first, then the subpaths in package.json order */
  entries: LibEntry[];
}

interface PackageJson {
  name?: string;
  main?: string;
  exports?: string | Record<string, string>;
}

/** The entry points of the lib in `dir`, read from its package.json. */
export function readLib(dir: string): Lib {
  const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as PackageJson;
  const packageName = pkg.name ?? `@mmatlas/${path.basename(dir)}`;
  const exportsMap: Record<string, string> =
    typeof pkg.exports === "string" ? { ".": pkg.exports } : (pkg.exports ?? { ".": pkg.main ?? "src/index.ts" });
  const entries = Object.entries(exportsMap).map(([subpath, target]) => ({
    specifier: subpath === "." ? packageName : `${packageName}/${subpath.replace(/^\.\//, "")}`,
    file: path.resolve(dir, target),
  }));
  entries.sort((a, b) => (a.specifier === packageName ? -1 : b.specifier === packageName ? 1 : 0));
  return { name: path.basename(dir), dir, packageName, entries };
}

/** Every lib under `libsDir` (folders with a package.json), sorted by name. */
export function findLibs(libsDir: string): Lib[] {
  if (!existsSync(libsDir)) return [];
  return readdirSync(libsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(libsDir, d.name, "package.json")))
    .map((d) => readLib(path.join(libsDir, d.name)))
    .sort((a, b) => a.name.localeCompare(b.name));
}
