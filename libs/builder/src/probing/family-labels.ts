// Concept families of a dataset's tags for linear probing: one class label per example and family, −1 when the
// example has no label in that family (left out of that family's probe). Tags of the form `family:value` name the
// family (shapes world: color, shape, size, position, word; ImageFolder imports: class). An example is labelled in
// a family when all its tags of that family agree on one value; object families (color, shape, size, position)
// additionally need a single-object example (`count:1`, or no count tag as in captions of one object), so a pair
// of shapes never stands for one of them. `count` itself is bookkeeping, not a family. Classes are sorted by
// name so labels do not depend on example order.

/** tag prefixes that describe the objects of a scene: labelled only on single-object examples */
export const OBJECT_FAMILIES: readonly string[] = ["color", "shape", "size", "position"];
/** tag prefixes never probed */
const NOT_FAMILIES = new Set(["count"]);
/** the order families are listed in (others follow alphabetically) */
export const FAMILY_ORDER = ["color", "shape", "size", "position", "word", "class"];

export interface FamilyLabels {
  name: string;
  /** class names, label index order */
  classes: string[];
  /** per example a class index, −1 = no label in this family */
  labels: Int32Array;
  /** examples with a label */
  labelled: number;
}

/** The `family:value` pairs of a tag list, grouped by family (values deduplicated). */
export function tagValuesByFamily(tags: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const tag of tags) {
    const at = tag.indexOf(":");
    if (at <= 0 || at === tag.length - 1) continue;
    const family = tag.slice(0, at);
    const value = tag.slice(at + 1);
    const set = out.get(family) ?? new Set<string>();
    set.add(value);
    out.set(family, set);
  }
  return out;
}

/** The label of one example in one family: its single value, or null (absent, ambiguous, or a multi-object scene). */
export function familyValue(byFamily: Map<string, Set<string>>, family: string): string | null {
  const values = byFamily.get(family);
  if (!values || values.size !== 1) return null;
  if (OBJECT_FAMILIES.includes(family)) {
    const count = byFamily.get("count");
    if (count && !(count.size === 1 && count.has("1"))) return null;
  }
  return [...values][0];
}

/** Families of a set of examples' tags, each with its classes and per-example labels (families in FAMILY_ORDER). */
export function familyLabelsOfTags(tagsPerExample: readonly (readonly string[])[]): FamilyLabels[] {
  const parsed = tagsPerExample.map(tagValuesByFamily);
  const names = new Set<string>();
  for (const p of parsed) for (const f of p.keys()) if (!NOT_FAMILIES.has(f)) names.add(f);
  const rank = (f: string) => {
    const i = FAMILY_ORDER.indexOf(f);
    return i < 0 ? FAMILY_ORDER.length : i;
  };
  const ordered = [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return ordered.map((name) => {
    const values = parsed.map((p) => familyValue(p, name));
    const classes = [...new Set(values.filter((v): v is string => v !== null))].sort();
    const index = new Map(classes.map((c, i) => [c, i]));
    const labels = Int32Array.from(values, (v) => (v === null ? -1 : index.get(v)!));
    return { name, classes, labels, labelled: values.filter((v) => v !== null).length };
  });
}

export type ProbeSkipReason = "ONE_CLASS" | "TOO_FEW_EXAMPLES";

export interface ProbeSkip {
  tower: "VISION" | "TEXT";
  family: string;
  reason: ProbeSkipReason;
  /** examples with a label in the family */
  labelled: number;
  classes: number;
  message: string;
}

/**
 * Splits families into the probe-able and the skipped: a family needs ≥ 2 classes and at least `minExamples`
 * labelled examples (enough for a train and a test split that can hold every class).
 */
export function probeableFamilies(
  tower: "VISION" | "TEXT",
  families: readonly FamilyLabels[],
  minExamples: number,
): { families: FamilyLabels[]; skipped: ProbeSkip[] } {
  const ok: FamilyLabels[] = [];
  const skipped: ProbeSkip[] = [];
  for (const f of families) {
    const base = { tower, family: f.name, labelled: f.labelled, classes: f.classes.length };
    if (f.classes.length < 2)
      skipped.push({
        ...base,
        reason: "ONE_CLASS",
        message: `${f.name}: ${f.classes.length === 0 ? "no labelled example" : `one class (${f.classes[0]})`}`,
      });
    else if (f.labelled < Math.max(minExamples, 2 * f.classes.length))
      skipped.push({
        ...base,
        reason: "TOO_FEW_EXAMPLES",
        message: `${f.name}: ${f.labelled} labelled examples, at least ${Math.max(minExamples, 2 * f.classes.length)} needed`,
      });
    else ok.push(f);
  }
  return { families: ok, skipped };
}
