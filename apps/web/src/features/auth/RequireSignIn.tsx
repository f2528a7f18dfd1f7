"use client";
// Renders its children for a signed-in user (optionally with a minimum role); otherwise a sign-in prompt.
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import type { CurrentUser, Role } from "./auth-queries";
import { useCurrentUser } from "./use-current-user";

const RANK: Record<Role, number> = { VIEWER: 0, ANNOTATOR: 1, REVIEWER: 2, ADMIN: 3 };

export function RequireSignIn({ minRole, children }: { minRole?: Role; children: (user: CurrentUser) => ReactNode }) {
  const { user, loading } = useCurrentUser();
  const path = usePathname();
  if (loading)
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  if (!user) {
    return (
      <div className="notice" data-testid="sign-in-required">
        <p>
          <strong>Sign in to continue.</strong>
        </p>
        <p>
          <Link href={`/sign-in?next=${encodeURIComponent(path)}`}>Sign in</Link> or{" "}
          <Link href="/sign-up">create an account</Link>.
        </p>
      </div>
    );
  }
  if (minRole && RANK[user.role] < RANK[minRole]) {
    return (
      <div className="notice" data-testid="role-required">
        <p>
          <strong>This page needs the {minRole.toLowerCase()} role.</strong>
        </p>
        <p className="muted">You are signed in as {user.role.toLowerCase()}; an admin can change your role.</p>
      </div>
    );
  }
  return <>{children(user)}</>;
}
