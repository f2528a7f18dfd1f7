// The reviewed report of a lib's public surface: one section per entry point, one "kind name" line per
// exported name, sorted. Formats, parses and diffs reports, so `--check` can list added and removed names.
import { compareNames, type ExportKind, type ExportedName } from "./exported-names";

/** entry specifier ("@mmatlas/db", "@mmatlas/db/testing") → its exported names */
export type Surface = Map<string, ExportedName[]>;

export interface SurfaceChange {
  specifier: string;
  name: string;
  /** "added": exported now, not in the report; "removed": in the report, not exported now; "kind": both, kinds differ */
  change: "added" | "removed" | "kind";
  kind: ExportKind | string;
  reportedKind?: string;
}

const HEADER = (packageName: string) =>
  `# Public surface of ${packageName}: what other projects may import. Review changes to this file.\n` +
  `# Rewritten by \`npm run api-surface -- --update\`; \`--check\` (in npm test) fails when it is stale.\n`;

export function formatReport(packageName: string, surface: Surface): string {
  const sections = [...surface.entries()].map(
    ([specifier, names]) =>
      `\n[${specifier}]\n` +
      [...names]
        .sort((a, b) => compareNames(a.name, b.name))
        .map((n) => `${n.kind} ${n.name}\n`)
        .join(""),
  );
  return HEADER(packageName) + sections.join("");
}

/** Reads a report back; lines starting with "#" and blank lines are ignored. Throws on a malformed line. */
export function parseReport(text: string): Surface {
  const surface: Surface = new Map();
  let current: ExportedName[] | undefined;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = [];
      surface.set(section[1], current);
      return;
    }
    const entry = /^(\S+) (\S+)$/.exec(line);
    if (!entry || !current) throw new Error(`line ${index + 1}: expected "[specifier]" or "kind name", got "${raw}"`);
    current.push({ kind: entry[1] as ExportKind, name: entry[2] });
  });
  return surface;
}

/** What changed from the committed report (`reported`) to the current exports (`actual`). */
export function diffSurfaces(reported: Surface, actual: Surface): SurfaceChange[] {
  const changes: SurfaceChange[] = [];
  const specifiers = [...new Set([...reported.keys(), ...actual.keys()])].sort(compareNames);
  for (const specifier of specifiers) {
    const before = new Map((reported.get(specifier) ?? []).map((n) => [n.name, n.kind] as const));
    const after = new Map((actual.get(specifier) ?? []).map((n) => [n.name, n.kind] as const));
    for (const name of [...new Set([...before.keys(), ...after.keys()])].sort(compareNames)) {
      const was = before.get(name);
      const is = after.get(name);
      if (was === undefined && is !== undefined) changes.push({ specifier, name, change: "added", kind: is });
      else if (is === undefined && was !== undefined) changes.push({ specifier, name, change: "removed", kind: was });
      else if (was !== is && is !== undefined)
        changes.push({ specifier, name, change: "kind", kind: is, reportedKind: was });
    }
  }
  return changes;
}

/** One line per change: "+ @mmatlas/db function openDatabase", "- ...", "~ ... (was type)". */
export function formatChanges(changes: SurfaceChange[]): string[] {
  return changes.map((c) =>
    c.change === "added"
      ? `+ ${c.specifier} ${c.kind} ${c.name}`
      : c.change === "removed"
        ? `- ${c.specifier} ${c.kind} ${c.name}`
        : `~ ${c.specifier} ${c.kind} ${c.name} (was ${c.reportedKind})`,
  );
}
