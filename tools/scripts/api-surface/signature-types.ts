// The exported names that the signatures of other exported names mention (parameter, return, property and
// heritage types, transitively): a consumer of `f(options: Options)` needs `Options` exported too.
import ts from "typescript";

const resolveAlias = (checker: ts.TypeChecker, s: ts.Symbol) =>
  s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;

const leftmost = (name: ts.EntityName): ts.Identifier => (ts.isIdentifier(name) ? name : leftmost(name.left));

function isPrivateMember(member: ts.ClassElement): boolean {
  if (member.name && ts.isPrivateIdentifier(member.name)) return true;
  return (ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : []).some(
    (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword,
  );
}

function functionParts(fn: ts.SignatureDeclarationBase): ts.Node[] {
  return [...fn.parameters, ...(fn.type ? [fn.type] : []), ...(fn.typeParameters ?? [])];
}

/** The parts of a declaration that a consumer sees: its signature, not its body. */
function signatureParts(decl: ts.Declaration): ts.Node[] {
  if (ts.isFunctionDeclaration(decl)) return functionParts(decl);
  if (ts.isClassDeclaration(decl)) {
    const members = decl.members.filter((m) => !isPrivateMember(m));
    return [
      ...(decl.heritageClauses ?? []),
      ...(decl.typeParameters ?? []),
      ...members.flatMap((m) =>
        ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m)
          ? functionParts(m)
          : ts.isPropertyDeclaration(m) && m.type
            ? [m.type]
            : [],
      ),
    ];
  }
  if (ts.isVariableDeclaration(decl)) {
    if (decl.type) return [decl.type];
    const init = decl.initializer;
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return functionParts(init);
    return init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init)) ? [init.type] : [];
  }
  if (ts.isInterfaceDeclaration(decl) || ts.isTypeAliasDeclaration(decl)) return [decl];
  return [];
}

function typeNamesIn(node: ts.Node, found: ts.Identifier[]): void {
  if (ts.isTypeReferenceNode(node)) found.push(leftmost(node.typeName));
  else if (ts.isExpressionWithTypeArguments(node) && ts.isIdentifier(node.expression)) found.push(node.expression);
  else if (ts.isTypeQueryNode(node) && !ts.isImportTypeNode(node.exprName as ts.Node))
    found.push(leftmost(node.exprName as ts.EntityName));
  ts.forEachChild(node, (child) => typeNamesIn(child, found));
}

/** Names exported by `entryFile`, not in `roots`, that the signatures of `roots` need (transitively). */
export function signatureTypeNames(program: ts.Program, entryFile: string, roots: Iterable<string>): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entryFile);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) return [];
  const exports = checker.getExportsOfModule(moduleSymbol);
  const exportedAs = new Map(exports.map((s) => [resolveAlias(checker, s), s.name] as const));
  const byName = new Map(exports.map((s) => [s.name, s] as const));
  const reached = new Set(roots);
  const needed: string[] = [];
  const work = [...reached];
  while (work.length > 0) {
    const symbol = byName.get(work.pop()!);
    if (!symbol) continue;
    for (const decl of resolveAlias(checker, symbol).declarations ?? []) {
      const names: ts.Identifier[] = [];
      for (const part of signatureParts(decl)) typeNamesIn(part, names);
      for (const id of names) {
        const target = checker.getSymbolAtLocation(id);
        const name = target && exportedAs.get(resolveAlias(checker, target));
        if (name && !reached.has(name)) {
          reached.add(name);
          needed.push(name);
          work.push(name);
        }
      }
    }
  }
  return needed.sort();
}
