// Test users and their browsers for the e2e suites: register + sign in a user (optionally given a role by an
// admin), open a browser context signed in as them (the web app reads the session secret from
// localStorage["mmatlas.session"]), and close everything a suite started.
import { authenticateSession, login, registerUser, setUserRole } from "@mmatlas/auth";
import type { PrismaClient, Role } from "@mmatlas/db";
import type { Browser, BrowserContext } from "playwright-core";

const PASSWORD = "long-enough-pw";

export interface SignedUp {
  secret: string;
  userId: string;
}

/** Registers and signs in a user; `role` is set by the admin whose session secret is `adminSecret`. */
export async function signUp(
  prisma: PrismaClient,
  user: { email: string; displayName: string; role?: Role; adminSecret?: string },
): Promise<SignedUp> {
  await registerUser(prisma, { email: user.email, password: PASSWORD, displayName: user.displayName });
  const { secret } = await login(prisma, { email: user.email, password: PASSWORD });
  const me = await authenticateSession(prisma, secret);
  if (user.role) {
    if (!user.adminSecret) throw new Error(`signUp ${user.email}: a role needs an admin's session secret`);
    await setUserRole(prisma, await authenticateSession(prisma, user.adminSecret), me.userId, user.role);
  }
  return { secret, userId: me.userId };
}

/** A new browser context (tracked in `contexts` for closeAll), signed in with `secret` unless it is null. */
export async function signedInContext(
  browser: Browser,
  contexts: BrowserContext[],
  secret: string | null,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  if (secret) await context.addInitScript((token) => window.localStorage.setItem("mmatlas.session", token), secret);
  return context;
}

/** Closes the browser contexts, the browser, the web server and the API of a suite (whichever were started). */
export async function closeAll(parts: {
  contexts?: BrowserContext[];
  browser?: Browser;
  web?: { close(): Promise<void> };
  api?: { close(): Promise<void> };
}): Promise<void> {
  for (const c of parts.contexts ?? []) await c.close().catch(() => {});
  await parts.browser?.close();
  await parts.web?.close();
  await parts.api?.close();
}
