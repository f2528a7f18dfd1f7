// Lists the names an entry file exports, with re-exports (`export { x } from`, `export *`, `export * as`)
// resolved through the TypeScript checker, and the kind of each: function, class, const, let, enum, namespace, type
// ("unknown" for a re-export that doesn't resolve).
import path from "node:path";
import ts from "typescript";

export type ExportKind = "function" | "class" | "const" | "let" | "enum" | "namespace" | "type" | "unknown";

export interface ExportedName {
  name: string;
  kind: ExportKind;
}

/** Compiler options of a tsconfig file (its "compilerOptions" with "extends" applied). */
export function compilerOptionsOf(tsconfigFile: string): ts.CompilerOptions {
  const read = ts.readConfigFile(tsconfigFile, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(
    { ...read.config, files: [], include: [] },
    ts.sys,
    path.dirname(path.resolve(tsconfigFile)),
  );
  return { ...parsed.options, noEmit: true };
}

/** True when `symbol` (an alias) or any alias it goes through is declared `export type` / `import type`. */
function isTypeOnlyAlias(checker: ts.TypeChecker, symbol: ts.Symbol): boolean {
  let current: ts.Symbol | undefined = symbol;
  for (let hops = 0; current && current.flags & ts.SymbolFlags.Alias && hops < 50; hops += 1) {
    if (current.declarations?.some((d) => ts.isTypeOnlyImportOrExportDeclaration(d))) return true;
    current = checker.getImmediateAliasedSymbol(current);
  }
  return false;
}

function variableKind(symbol: ts.Symbol): ExportKind {
  const decl = symbol.declarations?.find(ts.isVariableDeclaration);
  return decl && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const ? "const" : "let";
}

/** The kind of an exported symbol; a value wins over a type of the same name (`PrismaClient` is a const). */
export function kindOf(checker: ts.TypeChecker, exported: ts.Symbol): ExportKind {
  const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  if (!target.declarations?.length) return "unknown"; // an unresolved re-export
  if (isTypeOnlyAlias(checker, exported)) return "type";
  const f = target.flags;
  if (f & ts.SymbolFlags.Class) return "class";
  if (f & ts.SymbolFlags.Enum) return "enum";
  if (f & ts.SymbolFlags.Function) return "function";
  if (f & ts.SymbolFlags.Variable) return variableKind(target);
  if (f & ts.SymbolFlags.ValueModule) return "namespace";
  if (
    f &
    (ts.SymbolFlags.Interface |
      ts.SymbolFlags.TypeAlias |
      ts.SymbolFlags.NamespaceModule |
      ts.SymbolFlags.TypeParameter)
  )
    return "type";
  return "unknown";
}

/** A program over the given entry files (no type errors are reported: only symbols are read). */
export function createExportsProgram(entryFiles: string[], options: ts.CompilerOptions): ts.Program {
  return ts.createProgram({ rootNames: entryFiles, options: { ...options, noEmit: true, skipLibCheck: true } });
}

/** The names `entryFile` exports, sorted by name. Throws when the file is not part of `program`. */
export function exportedNames(program: ts.Program, entryFile: string): ExportedName[] {
  const source = program.getSourceFile(entryFile);
  if (!source) throw new Error(`${entryFile} is not in the program`);
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) return []; // a file with no import/export is a script, not a module: it exports nothing
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((s) => ({ name: s.name, kind: kindOf(checker, s) }))
    .sort((a, b) => compareNames(a.name, b.name));
}

/** Plain code-point order, so reports sort the same on every machine and locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether the file has `export * from` or `export * as ns from` (entry files list their names instead). */
export function starExports(source: ts.SourceFile): string[] {
  return source.statements
    .filter(
      (s): s is ts.ExportDeclaration =>
        ts.isExportDeclaration(s) && !!s.moduleSpecifier && (!s.exportClause || ts.isNamespaceExport(s.exportClause)),
    )
    .map((s) => s.getText(source));
}
