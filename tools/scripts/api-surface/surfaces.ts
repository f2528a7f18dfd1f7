// Reads every lib's current surface, compares it with the committed reports (libs/<x>/api-surface.txt) and
// rewrites them: the core of `tools/scripts/api-surface.ts --check` and `--update`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type ts from "typescript";
import { compilerOptionsOf, createExportsProgram, exportedNames, starExports } from "./exported-names";
import type { Lib } from "./lib-entries";
import { diffSurfaces, formatChanges, formatReport, parseReport, type Surface } from "./surface-report";

export const REPORT_FILE = "api-surface.txt";

export const reportPath = (lib: Lib) => path.join(lib.dir, REPORT_FILE);

export interface LibSurface {
  lib: Lib;
  surface: Surface;
  /** `export * ...` statements found in entry files, as "file: statement" */
  starExports: string[];
  /** the program the exports were read with (shared by all libs) */
  program: ts.Program;
}

/** The current exports of every entry of `libs`, resolved with the compiler options of `tsconfigFile`. */
export function readSurfaces(
  root: string,
  libs: Lib[],
  tsconfigFile = path.join(root, "tsconfig.base.json"),
): LibSurface[] {
  const program = createExportsProgram(
    libs.flatMap((l) => l.entries.map((e) => e.file)),
    compilerOptionsOf(tsconfigFile),
  );
  return libs.map((lib) => ({
    lib,
    surface: new Map(lib.entries.map((e) => [e.specifier, exportedNames(program, e.file)] as const)),
    starExports: lib.entries.flatMap((e) =>
      starExports(program.getSourceFile(e.file)!).map((s) => `${path.relative(root, e.file)}: ${s}`),
    ),
    program,
  }));
}

/** What is wrong with one lib's surface: a missing report, `export *` in an entry, an unresolved export, or
 *  names added / removed / of another kind than the report says ("+ ...", "- ...", "~ ..."). */
export function surfaceProblems(root: string, { lib, surface, starExports: stars }: LibSurface): string[] {
  const file = reportPath(lib);
  const exists = existsSync(file);
  const reported: Surface = exists ? parseReport(readFileSync(file, "utf8")) : new Map();
  const unresolved = [...surface.values()]
    .flat()
    .filter((n) => n.kind === "unknown")
    .map((n) => `unresolved export ${n.name}`);
  return [
    ...(exists ? [] : [`no report ${path.relative(root, file)}`]),
    ...stars.map((s) => `export * in ${s} (list the names)`),
    ...unresolved,
    ...formatChanges(diffSurfaces(reported, surface)),
  ];
}

/** Rewrites the reports that differ from the current surfaces; returns the files written. */
export function updateReports(surfaces: LibSurface[]): string[] {
  const written: string[] = [];
  for (const { lib, surface } of surfaces) {
    const file = reportPath(lib);
    const text = formatReport(lib.packageName, surface);
    if (existsSync(file) && readFileSync(file, "utf8") === text) continue;
    writeFileSync(file, text);
    written.push(file);
  }
  return written;
}
