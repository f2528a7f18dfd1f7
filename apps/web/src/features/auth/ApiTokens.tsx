"use client";
// API tokens of the signed-in user: create one (name, scopes, optional expiry; the secret is shown once),
// list them with their state, revoke.
import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { CREATE_TOKEN_MUTATION, MY_TOKENS_QUERY, REVOKE_TOKEN_MUTATION, type TokenScope } from "./auth-queries";

const SCOPES: TokenScope[] = ["READ", "ANNOTATE", "REVIEW", "ADMIN"];
const day = (iso: string | null) => (iso ? new Date(iso).toISOString().slice(0, 10) : "—");

export function ApiTokens() {
  const [{ data, error }, refetch] = useQuery({ query: MY_TOKENS_QUERY, requestPolicy: "network-only" });
  const [, create] = useMutation(CREATE_TOKEN_MUTATION);
  const [, revoke] = useMutation(REVOKE_TOKEN_MUTATION);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<TokenScope[]>(["READ"]);
  const [expiresInDays, setExpiresInDays] = useState("90");
  const [secret, setSecret] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    const days = Number(expiresInDays);
    const expiresAt = expiresInDays === "" ? null : new Date(Date.now() + days * 86_400_000).toISOString();
    const r = await create({ input: { name, scopes, expiresAt } });
    if (r.error) {
      setFormError(r.error.graphQLErrors.map((x) => x.message).join("; ") || r.error.message);
      return;
    }
    if (!r.data) {
      setFormError("no answer from the API");
      return;
    }
    setSecret(r.data.createApiToken.secret);
    setName("");
    refetch({ requestPolicy: "network-only" });
  }

  const toggle = (s: TokenScope) => setScopes((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));

  return (
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="muted small">
        For scripts and notebooks: send <code>Authorization: Bearer &lt;token&gt;</code> to the GraphQL API.
      </p>
      <form className="card token-form" onSubmit={submit} data-testid="token-form">
        <label className="field">
          Name
          <input
            name="tokenName"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="notebook"
          />
        </label>
        <fieldset className="scopes">
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} />
              {s.toLowerCase()}
            </label>
          ))}
        </fieldset>
        <label className="field">
          Expires
          <select value={expiresInDays} onChange={(e) => setExpiresInDays(e.target.value)} aria-label="expires">
            <option value="7">in 7 days</option>
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="">never</option>
          </select>
        </label>
        <button type="submit" className="button button--primary">
          Create token
        </button>
        {formError ? (
          <p className="form-error" role="alert">
            {formError}
          </p>
        ) : null}
      </form>
      {secret ? (
        <div className="notice secret" data-testid="new-token-secret">
          <p>
            <strong>Copy this token now: it is not shown again.</strong>
          </p>
          <code className="secret__value">{secret}</code>
        </div>
      ) : null}
      {error ? <p className="form-error">{error.message}</p> : null}
      <table className="table tokens-table" data-testid="token-list">
        <thead>
          <tr>
            <th>name</th>
            <th>prefix</th>
            <th>scopes</th>
            <th>created</th>
            <th>expires</th>
            <th>last used</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {(data?.myApiTokens ?? []).map((t) => (
            <tr key={t.id} data-testid="token-row" data-revoked={t.revokedAt ? "true" : "false"}>
              <td>{t.name}</td>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td>{t.scopes.map((s) => s.toLowerCase()).join(", ")}</td>
              <td>{day(t.createdAt)}</td>
              <td>{day(t.expiresAt)}</td>
              <td>{day(t.lastUsedAt)}</td>
              <td>
                {t.revokedAt ? (
                  <span className="muted">revoked</span>
                ) : (
                  <button
                    type="button"
                    className="button button--small button--danger"
                    onClick={async () => {
                      await revoke({ id: t.id });
                      refetch({ requestPolicy: "network-only" });
                    }}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
          {data && data.myApiTokens.length === 0 ? (
            <tr>
              <td colSpan={7} className="muted">
                No tokens yet.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}
