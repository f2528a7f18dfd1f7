"use client";
// Sign-in and sign-up form: sign-up registers then signs in; the session secret goes to the session store
// and the user is sent back to where they came from (?next=, same-origin paths only: see safe-next.ts).
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { LOGIN_MUTATION, REGISTER_MUTATION } from "./auth-queries";
import { safeNextPath } from "./safe-next";
import { setSessionToken } from "./session-store";

export function AuthForm({ mode }: { mode: "sign-in" | "sign-up" }) {
  const router = useRouter();
  const next = useSearchParams().get("next");
  const [, register] = useMutation(REGISTER_MUTATION);
  const [, login] = useMutation(LOGIN_MUTATION);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === "sign-up") {
        const r = await register({ input: { email, password, displayName: displayName || null } });
        if (r.error) throw new Error(messageOf(r.error));
      }
      const r = await login({ input: { email, password } });
      if (r.error || !r.data) throw new Error(r.error ? messageOf(r.error) : "no answer from the API");
      setSessionToken(r.data.login.token);
      router.push(safeNextPath(next));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const title = mode === "sign-in" ? "Sign in" : "Create an account";
  return (
    <form className="card auth-form" onSubmit={submit} data-testid={`${mode}-form`}>
      <h1>{title}</h1>
      {mode === "sign-up" ? (
        <label className="field">
          Display name
          <input
            name="displayName"
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            autoComplete="name"
          />
        </label>
      ) : null}
      <label className="field">
        Email
        <input
          name="email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoComplete="email"
        />
      </label>
      <label className="field">
        Password
        <input
          name="password"
          type="password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
        />
      </label>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? "…" : title}
      </button>
      <p className="muted small">
        {mode === "sign-in" ? (
          <>
            No account? <Link href="/sign-up">Sign up</Link>
          </>
        ) : (
          <>
            Have an account? <Link href="/sign-in">Sign in</Link>
          </>
        )}
      </p>
    </form>
  );
}

function messageOf(error: { graphQLErrors: { message: string }[]; message: string }): string {
  return error.graphQLErrors.length ? error.graphQLErrors.map((e) => e.message).join("; ") : error.message;
}
