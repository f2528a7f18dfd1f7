"use client";
// Header corner: the signed-in user (name, role, link to the account page) and sign out, or sign in/up links.
import Link from "next/link";
import { useMutation } from "urql";
import { LOGOUT_MUTATION } from "./auth-queries";
import { clearSessionToken } from "./session-store";
import { useCurrentUser } from "./use-current-user";

export function UserMenu() {
  const { user, loading, token } = useCurrentUser();
  const [, logout] = useMutation(LOGOUT_MUTATION);
  if (token && loading) return <span className="user-menu muted">…</span>;
  if (!user) {
    return (
      <span className="user-menu">
        <Link href="/sign-in">Sign in</Link>
        <Link href="/sign-up" className="button button--small">
          Sign up
        </Link>
      </span>
    );
  }
  const signOut = async () => {
    await logout({});
    clearSessionToken();
  };
  return (
    <span className="user-menu" data-testid="user-menu">
      <Link href="/account" data-testid="current-user">
        {user.displayName}
      </Link>
      <span className="badge">{user.role.toLowerCase()}</span>
      <button type="button" className="button button--small" onClick={signOut}>
        Sign out
      </button>
    </span>
  );
}
