// Runs the real API in-process (startApiServer from apps/api) on a free port, over a fresh migrated test
// database (in-memory PGlite, or a new PostgreSQL database when TEST_DATABASE_URL is set).
import { type PrismaClient } from "@mmatlas/db";
import { createTestDatabase } from "@mmatlas/db/testing";
import { rateLimitConfigFromEnv } from "@mmatlas/ratelimit";
import { startApiServer } from "../../apps/api/src/server";
import { freePort } from "./free-port";

export interface TestApi {
  /** the GraphQL endpoint, e.g. http://127.0.0.1:41234/graphql */
  graphqlUrl: string;
  /** the API's database, for seeding through real code */
  prisma: PrismaClient;
  /** stops the API (graceful close: collaborative documents are stored) and starts it again on the same port and database */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestApi(): Promise<TestApi> {
  const db = await createTestDatabase();
  try {
    const host = "127.0.0.1";
    const port = await freePort(host);
    // the browser, the web server and the test all reach the API over loopback: exempt it, as `npm start` does
    const rateLimit = { config: { ...rateLimitConfigFromEnv(), exemptIps: ["127.0.0.1", "::1"] } };
    let api = await startApiServer({ port, host, prisma: db.prisma, rateLimit });
    return {
      graphqlUrl: api.url,
      prisma: db.prisma,
      restart: async () => {
        await api.close();
        api = await startApiServer({ port, host, prisma: db.prisma, rateLimit });
      },
      close: async () => {
        await api.close();
        await db.close();
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}
