// The per-request (or per-subscription-event) GraphQL context: the database, the authenticated actor (or
// null for anonymous reads), fresh DataLoaders, and the pub/sub used for live annotation events.
import { authenticateBearer, secretFromAuthorizationHeader, type Actor, type LoginThrottle } from "@mmatlas/auth";
import { createCatalogLoaders, type CatalogLoaders } from "@mmatlas/catalog";
import type { JobProgress, JobQueue } from "@mmatlas/builder";
import type { PrismaClient } from "@mmatlas/db";
import { createLabelingLoaders, type AnnotationChangedEvent, type LabelingLoaders } from "@mmatlas/labeling";
import type { PubSub } from "@mmatlas/realtime";

export interface Loaders {
  catalog: CatalogLoaders;
  labeling: LabelingLoaders;
}

export interface ApiContext {
  prisma: PrismaClient;
  actor: Actor | null;
  /** the bearer secret the caller used, if any (logout revokes it when it is a session) */
  secret: string | null;
  loaders: Loaders;
  /** replaces the loaders (subscriptions do this for every event so they never serve cached rows) */
  resetLoaders(): void;
  pubsub: PubSub<AnnotationChangedEvent>;
  /** background jobs: the queue builds run on (null: none in this process) and their progress events */
  jobs: JobsDeps;
  /** per-account failed sign-in counting (null: unthrottled) */
  loginThrottle: LoginThrottle | null;
}

export interface JobsDeps {
  queue: JobQueue | null;
  progress: PubSub<JobProgress>;
}

export interface ContextDeps {
  prisma: PrismaClient;
  pubsub: PubSub<AnnotationChangedEvent>;
  jobs: JobsDeps;
  loginThrottle?: LoginThrottle | null;
}

export function createContext(deps: ContextDeps, actor: Actor | null, secret: string | null): ApiContext {
  const make = (): Loaders => ({
    catalog: createCatalogLoaders(deps.prisma),
    labeling: createLabelingLoaders(deps.prisma, actor),
  });
  const ctx: ApiContext = {
    prisma: deps.prisma,
    actor,
    secret,
    pubsub: deps.pubsub,
    jobs: deps.jobs,
    loginThrottle: deps.loginThrottle ?? null,
    loaders: make(),
    resetLoaders() {
      ctx.loaders = make();
    },
  };
  return ctx;
}

/**
 * The actor for an Authorization header value (HTTP header or graphql-ws connectionParams). No header means
 * anonymous (null); a header that does not authenticate throws UNAUTHENTICATED (AppError from @mmatlas/auth).
 */
export async function actorFromAuthorization(
  prisma: PrismaClient,
  header: unknown,
): Promise<{ actor: Actor | null; secret: string | null }> {
  if (header == null || header === "") return { actor: null, secret: null };
  const value = typeof header === "string" ? header : "";
  const actor = await authenticateBearer(prisma, value);
  return { actor, secret: secretFromAuthorizationHeader(value) };
}
