// Annotation status workflow: which status changes are allowed, and for whom. Authors move their own work
// between DRAFT and PROPOSED (and back to DRAFT after a rejection); only reviewers accept or reject.
import { AppError } from "@mmatlas/errors";
import type { AnnotationStatus } from "@mmatlas/db";

export const ANNOTATION_STATUSES = [
  "DRAFT",
  "PROPOSED",
  "ACCEPTED",
  "REJECTED",
] as const satisfies readonly AnnotationStatus[];

/** Who may make a transition: the annotation's author, or a reviewer (REVIEWER/ADMIN acting with review rights). */
export type TransitionRole = "author" | "reviewer";

/** Allowed transitions, from → to → who may perform them. */
export const TRANSITIONS: Readonly<
  Record<AnnotationStatus, Partial<Record<AnnotationStatus, readonly TransitionRole[]>>>
> = {
  DRAFT: { PROPOSED: ["author"] },
  PROPOSED: { DRAFT: ["author"], ACCEPTED: ["reviewer"], REJECTED: ["reviewer"] },
  ACCEPTED: { REJECTED: ["reviewer"] },
  REJECTED: { DRAFT: ["author"], ACCEPTED: ["reviewer"] },
};

export interface TransitionActor {
  isAuthor: boolean;
  canReview: boolean;
}

/** null when `from → to` is allowed for this actor (same status is always allowed), else the reason. */
export function transitionProblem(from: AnnotationStatus, to: AnnotationStatus, who: TransitionActor): AppError | null {
  if (!ANNOTATION_STATUSES.includes(to)) return AppError.badInput(`unknown status ${JSON.stringify(to)}`, "status");
  if (from === to) return null;
  const roles = TRANSITIONS[from][to];
  if (!roles) return AppError.badInput(`an annotation cannot go from ${from} to ${to}`, "status", { from, to });
  if ((who.isAuthor && roles.includes("author")) || (who.canReview && roles.includes("reviewer"))) return null;
  return AppError.forbidden(
    roles.includes("reviewer")
      ? `only a reviewer can move an annotation to ${to}`
      : `only the author can move an annotation from ${from} to ${to}`,
    { from, to },
  );
}

/** Throws the AppError from transitionProblem, if any. */
export function assertTransition(from: AnnotationStatus, to: AnnotationStatus, who: TransitionActor): void {
  const problem = transitionProblem(from, to, who);
  if (problem) throw problem;
}
