// The signed-in session, kept in the browser: the secret from the `login` mutation (AuthPayload.token) is
// stored in localStorage under "mmatlas.session" and sent as "Authorization: Bearer <token>". Changes are
// broadcast to this tab (custom event) and other tabs (storage event), so every view can react.
import { useSyncExternalStore } from "react";

export const SESSION_STORAGE_KEY = "mmatlas.session";
const CHANGE_EVENT = "mmatlas:session-change";

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null; // storage disabled
  }
}

/** The stored session secret, or null (also on the server, where there is no localStorage). */
export function getSessionToken(): string | null {
  return storage()?.getItem(SESSION_STORAGE_KEY) || null;
}

/** Stores (or, with null, forgets) the session secret and notifies listeners. */
export function setSessionToken(token: string | null): void {
  const s = storage();
  if (!s) return;
  if (token) s.setItem(SESSION_STORAGE_KEY, token);
  else s.removeItem(SESSION_STORAGE_KEY);
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

export const clearSessionToken = () => setSessionToken(null);

/** The Authorization header for the stored session ({} when signed out). */
export function authorizationHeaders(): Record<string, string> {
  const token = getSessionToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** Calls `listener` whenever the session changes in this tab or another one; returns the unsubscribe. */
export function subscribeToSession(listener: () => void): () => void {
  if (typeof window === "undefined") return () => {};
  const onStorage = (e: StorageEvent) => {
    if (e.key === null || e.key === SESSION_STORAGE_KEY) listener();
  };
  window.addEventListener(CHANGE_EVENT, listener);
  window.addEventListener("storage", onStorage);
  return () => {
    window.removeEventListener(CHANGE_EVENT, listener);
    window.removeEventListener("storage", onStorage);
  };
}

/** React hook: the current session secret (null while signed out and during server rendering). */
export function useSessionToken(): string | null {
  return useSyncExternalStore(subscribeToSession, getSessionToken, () => null);
}
