// Limits the unit document enforces itself (browser and server): the text fields' lengths (the same as the
// Annotation row's, @mmatlas/labeling LABEL_MAX / DESCRIPTION_MAX), and the only colour format presence
// may carry (#rrggbb), so a peer's awareness can never make a viewer's browser load a URL.

/** Longest label / description a document may hold (characters, as Y.Text counts them). */
export const FIELD_MAX = { label: 200, description: 5000 } as const;

const COLOR = /^#[0-9a-fA-F]{6}$/;

/** True only for "#rrggbb". */
export const isPresenceColor = (v: unknown): v is string => typeof v === "string" && COLOR.test(v);

/** `color` when it is "#rrggbb", else `fallback` (what the browser renders for a peer). */
export const safePresenceColor = (color: unknown, fallback: string): string =>
  isPresenceColor(color) ? color : fallback;
