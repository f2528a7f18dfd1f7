// Reads which names a source file imports from given package specifiers, syntactically (no type checker):
// `import { a, type B as C }`, `export { a } from`, `import("pkg").T`, and `const { a } = await import("pkg")`
// (also inside `await Promise.all([...])`). A namespace import, `export *` or an import whose bindings can't be
// read statically is recorded as "*" (every name).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export const ALL_NAMES = "*";

export interface ImportUse {
  /** the entry imported, as `match` named it, e.g. "@mmatlas/db/testing" */
  specifier: string;
  /** the exported name imported, or ALL_NAMES */
  name: string;
}

const SOURCE_EXTENSIONS = new Set([".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx"]);
const SKIPPED_DIRS = new Set([
  "node_modules",
  ".next",
  "dist",
  "generated",
  "artifacts",
  "coverage",
  ".nx",
  ".data",
  "out-tsc",
]);

/** Source files under `dir`, recursively, skipping build output, dependencies and generated code. */
export function sourceFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith(".")) found.push(...sourceFilesUnder(full));
    } else if (SOURCE_EXTENSIONS.has(path.extname(entry.name)) && !entry.name.endsWith(".d.ts")) {
      found.push(full);
    }
  }
  return found;
}

function scriptKindOf(file: string): ts.ScriptKind {
  const ext = path.extname(file);
  if (ext === ".tsx") return ts.ScriptKind.TSX;
  if (ext === ".jsx") return ts.ScriptKind.JSX;
  return [".js", ".mjs", ".cjs"].includes(ext) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/** Names bound by `{ a, b: c }` (the exported names: a, b); null for anything else. */
function objectBindingNames(binding: ts.BindingName): string[] | null {
  if (!ts.isObjectBindingPattern(binding)) return null;
  const names: string[] = [];
  for (const element of binding.elements) {
    if (element.dotDotDotToken) return null;
    const key = element.propertyName ?? element.name;
    if (ts.isIdentifier(key) || ts.isStringLiteral(key)) names.push(key.text);
    else return null;
  }
  return names;
}

/** The names a dynamic `import("pkg")` call binds: `const { a } = await import(...)`, or one slot of
 *  `const [x, { a }] = await Promise.all([..., import(...)])`. Null when they can't be read statically. */
function dynamicImportNames(call: ts.CallExpression): string[] | null {
  let node: ts.Node = call;
  let slot = -1;
  if (ts.isArrayLiteralExpression(node.parent)) {
    slot = node.parent.elements.indexOf(call);
    const all = node.parent.parent;
    if (!ts.isCallExpression(all) || all.expression.getText() !== "Promise.all") return null;
    node = all;
  }
  if (!ts.isAwaitExpression(node.parent) || !ts.isVariableDeclaration(node.parent.parent)) return null;
  const binding = node.parent.parent.name;
  if (slot < 0) return objectBindingNames(binding);
  if (!ts.isArrayBindingPattern(binding)) return null;
  const element = binding.elements[slot];
  return element && ts.isBindingElement(element) ? objectBindingNames(element.name) : [];
}

/** Maps an import specifier written in a file to the entry it names, or undefined for other modules. */
export type EntryMatcher = (specifier: string, fromFile: string) => string | undefined;

/** Every use of an entry that `match` recognizes in `text` (the contents of `file`). */
export function importedNames(file: string, text: string, match: EntryMatcher): ImportUse[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  const uses: ImportUse[] = [];
  const wanted = (specifier: string) => match(specifier, file) !== undefined;
  const add = (specifier: string, names: string[]) =>
    names.forEach((name) => uses.push({ specifier: match(specifier, file)!, name }));

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && wanted(node.moduleSpecifier.text)) {
      const clause = node.importClause;
      const specifier = node.moduleSpecifier.text;
      if (clause?.name) add(specifier, ["default"]);
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings)) add(specifier, [ALL_NAMES]);
      if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) {
        add(
          specifier,
          clause.namedBindings.elements.map((e) => (e.propertyName ?? e.name).text),
        );
      }
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      wanted(node.moduleSpecifier.text)
    ) {
      const clause = node.exportClause;
      add(
        node.moduleSpecifier.text,
        clause && ts.isNamedExports(clause) ? clause.elements.map((e) => (e.propertyName ?? e.name).text) : [ALL_NAMES],
      );
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal) &&
      wanted(node.argument.literal.text)
    ) {
      const qualifier = node.qualifier;
      const first = qualifier ? (ts.isIdentifier(qualifier) ? qualifier : leftmost(qualifier)) : undefined;
      add(node.argument.literal.text, [first ? first.text : ALL_NAMES]);
    } else if (ts.isCallExpression(node) && isImportOrRequire(node) && node.arguments.length === 1) {
      const arg = node.arguments[0];
      if (ts.isStringLiteral(arg) && wanted(arg.text)) add(arg.text, dynamicImportNames(node) ?? [ALL_NAMES]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

function leftmost(name: ts.QualifiedName): ts.Identifier {
  let left: ts.EntityName = name;
  while (ts.isQualifiedName(left)) left = left.left;
  return left;
}

function isImportOrRequire(call: ts.CallExpression): boolean {
  if (call.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
  return ts.isIdentifier(call.expression) && call.expression.text === "require";
}

/** `importedNames` for a file on disk. */
export function importedNamesInFile(file: string, match: EntryMatcher): ImportUse[] {
  return importedNames(file, readFileSync(file, "utf8"), match);
}
