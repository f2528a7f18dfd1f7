// The first few items of a list for an error message: "a, b, c, and 4 more".

/** `items` joined with ", ", cut after `max` with ", and N more". */
export function listFirst(items: readonly string[], max: number): string {
  return items.slice(0, max).join(", ") + (items.length > max ? `, and ${items.length - max} more` : "");
}
