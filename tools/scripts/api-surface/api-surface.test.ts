// Tests of the api-surface core on a tiny repo in a temp dir: export detection and kinds, re-export
// resolution (named, `export *`, `export * as`), usage scanning, the report's round trip and diff, and the
// types that exported signatures need.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createExportsProgram } from "./exported-names";
import { ALL_NAMES, importedNames } from "./imported-names";
import { findLibs } from "./lib-entries";
import { diffSurfaces, formatChanges, formatReport, parseReport, type Surface } from "./surface-report";
import { signatureTypeNames } from "./signature-types";
import { readSurfaces, surfaceProblems, updateReports } from "./surfaces";
import { scanUsage, usedOutside } from "./usage";

let root: string;

function write(file: string, text: string) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "api-surface-"));
  write(
    "tsconfig.base.json",
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "commonjs",
        moduleResolution: "bundler",
        strict: true,
        noEmit: true,
        types: [],
        paths: { "@fx/shapes/testing": ["./libs/shapes/src/testing/index.ts"], "@fx/*": ["./libs/*/src/index.ts"] },
      },
    }),
  );
  write(
    "libs/shapes/package.json",
    JSON.stringify({ name: "@fx/shapes", exports: { ".": "./src/index.ts", "./testing": "./src/testing/index.ts" } }),
  );
  write(
    "libs/shapes/src/area.ts",
    [
      "export interface Square { side: number }",
      "export type Unit = 'px' | 'cm';",
      "export function area(s: Square): number { return s.side * s.side; }",
      "export const UNIT: Unit = 'px';",
      "export let counter = 0;",
      "export class Canvas { draw(): void {} }",
      "export enum Color { Red, Green }",
      "export function unused(): void {}",
    ].join("\n"),
  );
  write("libs/shapes/src/more.ts", "export const PI = 3.14;\nexport function tau(): number { return 2 * PI; }\n");
  write(
    "libs/shapes/src/index.ts",
    [
      "export { area, UNIT, counter, Canvas as Board, Color, unused, type Square, type Unit } from './area';",
      "export type { Canvas as CanvasType } from './area';",
      "export * from './more';",
      "export * as geometry from './more';",
    ].join("\n"),
  );
  write("libs/shapes/src/testing/index.ts", "export function fixtureSquare() { return { side: 1 }; }\n");
  write("libs/shapes/test/area.test.ts", "import { unused } from '../src';\nimport { tau } from '@fx/shapes';\n");
  write(
    "apps/app/src/main.ts",
    [
      "import { area, type Square } from '@fx/shapes';",
      "import { fixtureSquare } from '@fx/shapes/testing';",
      "export { Color as Colour } from '@fx/shapes';",
      "type B = import('@fx/shapes').Board;",
    ].join("\n"),
  );
  write(
    "tools/seed.ts",
    "async function go() { const [{ PI }, other] = await Promise.all([import('@fx/shapes'), import('node:fs')]); }\n",
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const libs = () => findLibs(path.join(root, "libs"));

describe("exported names", () => {
  it("lists every entry's names with their kinds, re-exports resolved", () => {
    const [shapes] = readSurfaces(root, libs());
    expect([...shapes.surface.keys()]).toEqual(["@fx/shapes", "@fx/shapes/testing"]);
    expect(shapes.surface.get("@fx/shapes")).toEqual([
      { name: "Board", kind: "class" },
      { name: "CanvasType", kind: "type" },
      { name: "Color", kind: "enum" },
      { name: "PI", kind: "const" },
      { name: "Square", kind: "type" },
      { name: "UNIT", kind: "const" },
      { name: "Unit", kind: "type" },
      { name: "area", kind: "function" },
      { name: "counter", kind: "let" },
      { name: "geometry", kind: "namespace" },
      { name: "tau", kind: "function" },
      { name: "unused", kind: "function" },
    ]);
    expect(shapes.surface.get("@fx/shapes/testing")).toEqual([{ name: "fixtureSquare", kind: "function" }]);
    expect(shapes.starExports).toEqual([
      "libs/shapes/src/index.ts: export * from './more';",
      "libs/shapes/src/index.ts: export * as geometry from './more';",
    ]);
  });
});

describe("imported names", () => {
  const match = (s: string) => (s.startsWith("@fx/") ? s : undefined);

  it("reads named, type-only, renamed, re-exported, import-type and destructured dynamic imports", () => {
    const text = [
      "import { a, type B, c as d } from '@fx/x';",
      "import def from '@fx/x';",
      "import '@fx/side-effect';",
      "export { e as f } from '@fx/x';",
      "let t: import('@fx/x').T.Inner;",
      "async function go() { const { g, h: local } = await import('@fx/y'); }",
      "import { skip } from 'other';",
    ].join("\n");
    expect(importedNames("f.ts", text, match)).toEqual([
      { specifier: "@fx/x", name: "a" },
      { specifier: "@fx/x", name: "B" },
      { specifier: "@fx/x", name: "c" },
      { specifier: "@fx/x", name: "default" },
      { specifier: "@fx/x", name: "e" },
      { specifier: "@fx/x", name: "T" },
      { specifier: "@fx/y", name: "g" },
      { specifier: "@fx/y", name: "h" },
    ]);
  });

  it("counts a namespace import, export * and an unbound dynamic import as every name", () => {
    const text = "import * as ns from '@fx/x';\nexport * from '@fx/y';\nconst m = import('@fx/z');\n";
    expect(importedNames("f.ts", text, match).map((u) => `${u.specifier}:${u.name}`)).toEqual([
      `@fx/x:${ALL_NAMES}`,
      `@fx/y:${ALL_NAMES}`,
      `@fx/z:${ALL_NAMES}`,
    ]);
  });

  it("tells uses by other projects from the lib's own imports (package name or relative path)", () => {
    const usage = scanUsage(root, libs());
    const main = usage.get("@fx/shapes")!;
    expect([...main.outside.keys()].sort()).toEqual(["Board", "Color", "PI", "Square", "area"]);
    expect(main.outside.get("PI")).toEqual(new Set(["tools"]));
    expect(main.outside.get("area")).toEqual(new Set(["apps/app"]));
    expect([...main.own].sort()).toEqual(["tau", "unused"]);
    expect([...usage.get("@fx/shapes/testing")!.outside.keys()]).toEqual(["fixtureSquare"]);
    expect(usedOutside(["PI", "tau", "area"], main)).toEqual(["PI", "area"]);
    expect(usedOutside(["PI", "tau"], { outside: new Map([[ALL_NAMES, new Set(["x"])]]), own: new Set() })).toEqual([
      "PI",
      "tau",
    ]);
  });
});

describe("reports", () => {
  const surface: Surface = new Map([
    [
      "@fx/a",
      [
        { name: "beta", kind: "function" },
        { name: "Alpha", kind: "type" },
      ],
    ],
    ["@fx/a/testing", [{ name: "fixture", kind: "function" }]],
  ]);

  it("formats sorted sections and parses them back", () => {
    const text = formatReport("@fx/a", surface);
    expect(text.split("\n").filter((l) => !l.startsWith("#"))).toEqual([
      "",
      "[@fx/a]",
      "type Alpha",
      "function beta",
      "",
      "[@fx/a/testing]",
      "function fixture",
      "",
    ]);
    expect(parseReport(text)).toEqual(
      new Map([
        [
          "@fx/a",
          [
            { kind: "type", name: "Alpha" },
            { kind: "function", name: "beta" },
          ],
        ],
        ["@fx/a/testing", [{ kind: "function", name: "fixture" }]],
      ]),
    );
  });

  it("rejects a malformed line", () => {
    expect(() => parseReport("[@fx/a]\nfunction\n")).toThrow(
      'line 2: expected "[specifier]" or "kind name", got "function"',
    );
  });

  it("lists added, removed and re-kinded names", () => {
    const current: Surface = new Map([
      [
        "@fx/a",
        [
          { name: "Alpha", kind: "class" },
          { name: "gamma", kind: "const" },
        ],
      ],
    ]);
    expect(formatChanges(diffSurfaces(surface, current))).toEqual([
      "~ @fx/a class Alpha (was type)",
      "- @fx/a function beta",
      "+ @fx/a const gamma",
      "- @fx/a/testing function fixture",
    ]);
    expect(diffSurfaces(surface, surface)).toEqual([]);
  });

  it("checks a lib against its report: missing, stale after an added export, clean after update", () => {
    const before = readSurfaces(root, libs());
    expect(surfaceProblems(root, before[0])).toEqual([
      "no report libs/shapes/api-surface.txt",
      "export * in libs/shapes/src/index.ts: export * from './more'; (list the names)",
      "export * in libs/shapes/src/index.ts: export * as geometry from './more'; (list the names)",
      ...[
        "class Board",
        "type CanvasType",
        "enum Color",
        "const PI",
        "type Square",
        "const UNIT",
        "type Unit",
        "function area",
        "let counter",
        "namespace geometry",
        "function tau",
        "function unused",
      ].map((n) => `+ @fx/shapes ${n}`),
      "+ @fx/shapes/testing function fixtureSquare",
    ]);
    expect(updateReports(before)).toEqual([path.join(root, "libs/shapes/api-surface.txt")]);
    expect(updateReports(before)).toEqual([]);

    write(
      "libs/shapes/src/index.ts",
      "export { area, type Square } from './area';\nexport { fixtureSquare as makeSquare } from './testing';\n",
    );
    const after = readSurfaces(root, libs());
    expect(surfaceProblems(root, after[0])).toEqual([
      ...[
        "class Board",
        "type CanvasType",
        "enum Color",
        "const PI",
        "const UNIT",
        "type Unit",
        "let counter",
        "namespace geometry",
      ].map((n) => `- @fx/shapes ${n}`),
      "+ @fx/shapes function makeSquare",
      "- @fx/shapes function tau",
      "- @fx/shapes function unused",
    ]);
    updateReports(after);
    expect(surfaceProblems(root, readSurfaces(root, libs())[0])).toEqual([]);
  });
});

describe("signature types", () => {
  it("finds the exported types that exported names' signatures need, transitively, and skips private members", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "api-surface-sig-"));
    try {
      writeFileSync(
        path.join(dir, "mod.ts"),
        [
          "export type Unit = 'px' | 'cm';",
          "export interface Options { unit: Unit; inner?: Inner }",
          "export interface Inner { depth: number }",
          "export interface Hidden { secret: string }",
          "export interface Result { value: number }",
          "export function scale(o: Options): Result { return { value: 1 }; }",
          "export class Painter { private cache: Hidden[] = []; paint(): Result { return { value: 2 }; } }",
          "export const helper = (h: Hidden): void => {};",
        ].join("\n"),
      );
      writeFileSync(
        path.join(dir, "index.ts"),
        "export { scale, Painter, helper, type Unit, type Options, type Inner, type Hidden, type Result } from './mod';\n",
      );
      const program = createExportsProgram([path.join(dir, "index.ts")], { strict: true, types: [] });
      const entry = path.join(dir, "index.ts");
      expect(signatureTypeNames(program, entry, ["scale"])).toEqual(["Inner", "Options", "Result", "Unit"]);
      expect(signatureTypeNames(program, entry, ["Painter"])).toEqual(["Result"]);
      expect(signatureTypeNames(program, entry, ["helper"])).toEqual(["Hidden"]);
      expect(signatureTypeNames(program, entry, ["scale", "Options"])).toEqual(["Inner", "Result", "Unit"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
