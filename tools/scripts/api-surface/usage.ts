// Which exported names of each lib entry other projects import: every source file of the repo is scanned
// for `@mmatlas/<lib>` and `@mmatlas/<lib>/<subpath>` imports; a file's project is apps/<x>, libs/<x>, or
// its top folder (e2e, tools). Imports of an entry by the lib's own files (through the package name, or a
// relative path such as "../src") count apart: they don't need the entry.
import { statSync } from "node:fs";
import path from "node:path";
import { ALL_NAMES, importedNamesInFile, sourceFilesUnder, type EntryMatcher } from "./imported-names";
import type { Lib } from "./lib-entries";

export interface EntryUsage {
  /** name → projects outside the lib that import it */
  outside: Map<string, Set<string>>;
  /** names the lib's own files import through its package name */
  own: Set<string>;
}

/** "apps/api", "libs/db", "e2e", "tools", or "." for files at the root. */
export function projectOf(root: string, file: string): string {
  const parts = path.relative(root, file).split(path.sep);
  if (parts.length === 1) return ".";
  return (parts[0] === "apps" || parts[0] === "libs") && parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** Usage of every entry of `libs` by the source files under `root`, keyed by entry specifier. */
export function scanUsage(
  root: string,
  libs: Lib[],
  files: string[] = sourceFilesUnder(root),
): Map<string, EntryUsage> {
  const entryOwner = new Map<string, string>(); // specifier → owning project, "libs/<x>"
  const usage = new Map<string, EntryUsage>();
  for (const lib of libs) {
    for (const entry of lib.entries) {
      entryOwner.set(entry.specifier, projectOf(root, path.join(lib.dir, "package.json")));
      usage.set(entry.specifier, { outside: new Map(), own: new Set() });
    }
  }
  const entryOfFile = new Map(libs.flatMap((l) => l.entries.map((e) => [e.file, e.specifier] as const)));
  const match: EntryMatcher = (specifier, fromFile) =>
    specifier.startsWith(".")
      ? entryOfFile.get(resolveRelative(path.resolve(path.dirname(fromFile), specifier)) ?? "")
      : entryOwner.has(specifier)
        ? specifier
        : undefined;
  for (const file of files) {
    const project = projectOf(root, file);
    for (const use of importedNamesInFile(file, match)) {
      const entryUsage = usage.get(use.specifier)!;
      if (entryOwner.get(use.specifier) === project) entryUsage.own.add(use.name);
      else {
        const projects = entryUsage.outside.get(use.name) ?? new Set<string>();
        projects.add(project);
        entryUsage.outside.set(use.name, projects);
      }
    }
  }
  return usage;
}

/** The file a relative import points at: itself, with .ts/.tsx, or its index.ts. */
function resolveRelative(target: string): string | undefined {
  return [target, `${target}.ts`, `${target}.tsx`, path.join(target, "index.ts")].find((f) =>
    statSync(f, { throwIfNoEntry: false })?.isFile(),
  );
}

/** Names of `exported` used outside the lib; a namespace import ("*") uses them all. */
export function usedOutside(exported: string[], usage: EntryUsage | undefined): string[] {
  if (!usage) return [];
  if (usage.outside.has(ALL_NAMES)) return exported;
  return exported.filter((n) => usage.outside.has(n));
}
