// The permission policy: role levels, token scopes capping a role, and typed refusals.
import type { Role, TokenScope } from "@mmatlas/db";
import { assertCan, can, type Action, type Actor } from "../src";
import { ACTIONS, canUpdateAnnotation, effectiveLevel, scopeForRole } from "../src/policy";

const actor = (role: Role, scopes?: TokenScope[]): Actor => ({
  userId: "u1",
  email: "u1@example.org",
  displayName: "u1",
  role,
  ...(scopes ? { via: "token" as const, tokenId: "t1", scopes } : { via: "session" as const, sessionId: "s1" }),
});

const allowed = (a: Actor) => ACTIONS.filter((x) => can(a, x));

it("grants each session role exactly the actions up to its level", () => {
  expect(allowed(actor("VIEWER"))).toEqual(["read"]);
  expect(allowed(actor("ANNOTATOR"))).toEqual(["read", "annotation.create", "annotation.updateOwn", "vote", "comment"]);
  expect(allowed(actor("REVIEWER"))).toEqual([
    "read",
    "annotation.create",
    "annotation.updateOwn",
    "vote",
    "comment",
    "annotation.review",
    "annotation.updateAny",
    "comment.deleteAny",
  ]);
  expect(allowed(actor("ADMIN"))).toEqual(ACTIONS);
});

it("limits a token actor by both role and scopes", () => {
  // admin user, read-only token: read only
  expect(allowed(actor("ADMIN", ["READ"]))).toEqual(["read"]);
  // annotator user, token claiming ADMIN scope (e.g. role lowered later): still only annotator actions
  expect(allowed(actor("ANNOTATOR", ["ADMIN"]))).toEqual(allowed(actor("ANNOTATOR")));
  // reviewer with an ANNOTATE token cannot review
  expect(can(actor("REVIEWER", ["ANNOTATE"]), "annotation.review")).toBe(false);
  expect(can(actor("REVIEWER", ["READ", "REVIEW"]), "annotation.review")).toBe(true);
  expect(effectiveLevel(actor("ADMIN", ["READ", "ANNOTATE"]))).toBe(1);
});

it("grants nothing to anonymous callers or scope-less tokens", () => {
  for (const a of ACTIONS) {
    expect(can(null, a)).toBe(false);
    expect(can(actor("ADMIN", []), a)).toBe(false);
  }
});

it("throws UNAUTHENTICATED for anonymous and FORBIDDEN for insufficient rights", () => {
  expect(() => assertCan(null, "read")).toThrow(expect.objectContaining({ code: "UNAUTHENTICATED" }));
  expect(() => assertCan(actor("VIEWER"), "annotation.create")).toThrow(
    expect.objectContaining({ code: "FORBIDDEN", details: { action: "annotation.create", required: "ANNOTATOR" } }),
  );
  expect(() => assertCan(actor("ADMIN", ["READ"]), "vote")).toThrow(/lacks the ANNOTATE scope/);
  expect(() => assertCan(actor("ANNOTATOR"), "annotation.review")).toThrow(/role ANNOTATOR cannot annotation.review/);
  expect(() => assertCan(actor("REVIEWER"), "annotation.review")).not.toThrow();
});

it("lets authors update their own annotations, reviewers anyone's", () => {
  expect(canUpdateAnnotation(actor("ANNOTATOR"), "u1")).toBe(true);
  expect(canUpdateAnnotation(actor("ANNOTATOR"), "someone-else")).toBe(false);
  expect(canUpdateAnnotation(actor("REVIEWER"), "someone-else")).toBe(true);
  expect(canUpdateAnnotation(actor("VIEWER"), "u1")).toBe(false);
});

it("maps roles to same-level scopes", () => {
  const pairs: [Role, TokenScope][] = [
    ["VIEWER", "READ"],
    ["ANNOTATOR", "ANNOTATE"],
    ["REVIEWER", "REVIEW"],
    ["ADMIN", "ADMIN"],
  ];
  for (const [role, scope] of pairs) {
    expect(scopeForRole(role)).toBe(scope);
    const a: Action[] = allowed(actor(role)); // a token with the matching scope grants exactly the role's actions
    expect(allowed(actor("ADMIN", [scope]))).toEqual(a);
  }
});
