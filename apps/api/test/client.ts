// Test clients for the running API: GraphQL over real HTTP (fetch) and graphql-ws over a real WebSocket.
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export interface GqlResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
  raw: string;
}

/** Every raw response body this process received, to check that none carries a stack trace. */
export const rawResponses: string[] = [];

export async function gql<T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<GqlResponse<T>> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const raw = await res.text();
  rawResponses.push(raw);
  return { status: res.status, ...(JSON.parse(raw) as object), raw };
}

/** The first error code of a response (or undefined). */
export const codeOf = (r: GqlResponse) => r.errors?.[0]?.extensions?.code;

export function wsClient(wsUrl: string, token?: string): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
  });
}

/** Subscribes and collects results; `next()` waits for the next one (with a timeout). */
export function collect<T = any>(client: Client, query: string, variables: Record<string, unknown>) {
  const results: T[] = [];
  const waiters: ((v: T) => void)[] = [];
  let failure: unknown;
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (v) => {
        const w = waiters.shift();
        if (w) w(v as T);
        else results.push(v as T);
      },
      error: (e) => {
        failure = e;
      },
      complete: () => {},
    },
  );
  return {
    unsubscribe,
    get failure() {
      return failure;
    },
    next(timeoutMs = 5000): Promise<T> {
      if (results.length) return Promise.resolve(results.shift()!);
      return new Promise((resolve, reject) => {
        const waiter = (v: T) => {
          clearTimeout(timer);
          resolve(v);
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1); // a late event must not go to a waiter nobody awaits
          reject(new Error(`no subscription event within ${timeoutMs} ms (${String(failure ?? "")})`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
  };
}

/** Users registered and signed in by `signUpUsers`: ids and session tokens by name. */
export interface SignedUpUsers {
  userId: Record<string, string>;
  session: Record<string, string>;
}

/**
 * Registers each name as `<name>@example.org` (on a fresh database the first one becomes ADMIN), signs each
 * in, then gives the others the roles asked for, set by the first user's session.
 */
export async function signUpUsers(
  url: string,
  names: string[],
  roles: Record<string, string> = {},
): Promise<SignedUpUsers> {
  const users: SignedUpUsers = { userId: {}, session: {} };
  for (const name of names) {
    const reg = await gql(url, `mutation($i: RegisterInput!) { register(input: $i) { id } }`, {
      i: { email: `${name}@example.org`, password: "correct horse battery", displayName: name },
    });
    users.userId[name] = reg.data.register.id;
    const login = await gql(url, `mutation($i: LoginInput!) { login(input: $i) { token } }`, {
      i: { email: `${name}@example.org`, password: "correct horse battery" },
    });
    users.session[name] = login.data.login.token;
  }
  for (const [name, role] of Object.entries(roles))
    await gql(
      url,
      `mutation($u: ID!, $r: Role!) { setUserRole(userId: $u, role: $r) { role } }`,
      { u: users.userId[name], r: role },
      users.session[names[0]],
    );
  return users;
}
