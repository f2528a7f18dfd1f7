"use client";
// Account page: who you are and your API tokens.
import { ApiTokens } from "../../features/auth/ApiTokens";
import { RequireSignIn } from "../../features/auth/RequireSignIn";

export default function AccountPage() {
  return (
    <RequireSignIn>
      {(user) => (
        <div className="account">
          <h1>Account</h1>
          <dl className="facts card">
            <div>
              <dt>Name</dt>
              <dd>{user.displayName}</dd>
            </div>
            <div>
              <dt>Email</dt>
              <dd>{user.email ?? "—"}</dd>
            </div>
            <div>
              <dt>Role</dt>
              <dd>
                <span className="badge">{user.role.toLowerCase()}</span>
              </dd>
            </div>
          </dl>
          <ApiTokens />
        </div>
      )}
    </RequireSignIn>
  );
}
