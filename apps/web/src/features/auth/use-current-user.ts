"use client";
// React hook: the signed-in user (null when signed out), re-read from the API whenever the session changes
// (the session token is part of the query context, so a new token means a new request, never a loop).
import { useMemo } from "react";
import { useQuery } from "urql";
import { CURRENT_USER_QUERY, type CurrentUser } from "./auth-queries";
import { useSessionToken } from "./session-store";

export function useCurrentUser(): { user: CurrentUser | null; loading: boolean; token: string | null } {
  const token = useSessionToken();
  const context = useMemo(() => ({ requestPolicy: "network-only" as const, session: token }), [token]);
  const [{ data, fetching, error }] = useQuery({ query: CURRENT_USER_QUERY, pause: !token, context });
  if (!token) return { user: null, loading: false, token };
  return { user: data?.me ?? null, loading: fetching && !data && !error, token };
}
