// What the browser shows of other people's presence (Yjs awareness): only well-typed users, and only a
// "#rrggbb" colour (anything else, e.g. `url(http://…)`, is replaced by the user's palette colour), so a
// peer's awareness can never make this page load a URL or inject CSS. The server already rewrites
// presence from the authenticated identity; this is the second line.
import { colorForUser, safePresenceColor, type PresenceUser } from "@mmatlas/collab/doc";

/** A presence user fit to render, or null. */
export function viewablePresenceUser(user: unknown): PresenceUser | null {
  if (!user || typeof user !== "object") return null;
  const u = user as Record<string, unknown>;
  if (typeof u.id !== "string" || typeof u.name !== "string") return null;
  return {
    id: u.id,
    name: u.name.slice(0, 80),
    color: safePresenceColor(u.color, colorForUser(u.id)),
    readOnly: u.readOnly === true,
  };
}
