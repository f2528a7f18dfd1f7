// Who may do what. Roles are ordered VIEWER < ANNOTATOR < REVIEWER < ADMIN; each action needs a level.
// Token scopes map onto the same levels (READ, ANNOTATE, REVIEW, ADMIN) and are hierarchical: a token's
// level is its highest scope. A session acts with the user's role; a token with min(role, token level).
import { AppError } from "@mmatlas/errors";
import type { Role, TokenScope } from "@mmatlas/db";

export const ROLES = ["VIEWER", "ANNOTATOR", "REVIEWER", "ADMIN"] as const satisfies readonly Role[];
export const TOKEN_SCOPES = ["READ", "ANNOTATE", "REVIEW", "ADMIN"] as const satisfies readonly TokenScope[];

/** 0..3, one per role; a scope has the level of the role at the same position. */
export type Level = 0 | 1 | 2 | 3;

export const roleLevel = (role: Role): Level => ROLES.indexOf(role) as Level;
export const scopeLevel = (scope: TokenScope): Level => TOKEN_SCOPES.indexOf(scope) as Level;
/** The scope that matches a role (VIEWER→READ, ANNOTATOR→ANNOTATE, REVIEWER→REVIEW, ADMIN→ADMIN). */
export const scopeForRole = (role: Role): TokenScope => TOKEN_SCOPES[roleLevel(role)];

/** Level each action needs. "…Own" actions concern the actor's own content; "…Any" anyone's. */
export const ACTION_LEVELS = {
  read: 0,
  "annotation.create": 1,
  "annotation.updateOwn": 1,
  vote: 1,
  comment: 1,
  "annotation.review": 2, // accept / reject
  "annotation.updateAny": 2,
  "comment.deleteAny": 2,
  "user.setRole": 3,
  "user.list": 3,
  "model.register": 3,
  "job.manage": 3,
  "token.manageAny": 3,
} as const satisfies Record<string, Level>;

export type Action = keyof typeof ACTION_LEVELS;
export const ACTIONS = Object.keys(ACTION_LEVELS) as Action[];

/** An authenticated caller. `scopes` is present exactly when authenticated by API token. */
export interface Actor {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  via: "session" | "token";
  sessionId?: string;
  tokenId?: string;
  scopes?: TokenScope[];
}

/** The level an actor acts with: its role, capped by its token's highest scope when it came by token. */
export function effectiveLevel(actor: Pick<Actor, "role" | "via" | "scopes">): Level | -1 {
  const byRole = roleLevel(actor.role);
  if (actor.via === "session") return byRole;
  const scopes = actor.scopes ?? [];
  if (scopes.length === 0) return -1; // a token without scopes grants nothing
  return Math.min(byRole, Math.max(...scopes.map(scopeLevel))) as Level;
}

/** May `actor` (null = anonymous) perform `action`? Anonymous callers may do nothing. */
export function can(actor: Actor | null | undefined, action: Action): boolean {
  if (!actor) return false;
  return effectiveLevel(actor) >= ACTION_LEVELS[action];
}

/** Like `can`, but throws UNAUTHENTICATED for anonymous callers and FORBIDDEN when not allowed. */
export function assertCan(actor: Actor | null | undefined, action: Action): asserts actor is Actor {
  if (!actor) throw AppError.unauthenticated(`sign in to ${action}`);
  if (!can(actor, action)) {
    const needed = ACTION_LEVELS[action];
    const why =
      actor.via === "token" && roleLevel(actor.role) >= needed
        ? `this API token lacks the ${TOKEN_SCOPES[needed]} scope`
        : `role ${actor.role} cannot ${action} (needs ${ROLES[needed]})`;
    throw AppError.forbidden(`forbidden: ${why}`, { action, required: ROLES[needed] });
  }
}

/** Updating an annotation: its author needs "annotation.updateOwn", anyone else "annotation.updateAny". */
export const canUpdateAnnotation = (actor: Actor | null | undefined, authorId: string): boolean =>
  can(actor, actor?.userId === authorId ? "annotation.updateOwn" : "annotation.updateAny");
