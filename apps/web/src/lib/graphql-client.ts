// Builds the urql client the browser uses to talk to the mmatlas GraphQL API (POST requests only).
import { cacheExchange, createClient, fetchExchange, type Client } from "urql";

export function createApiClient(apiUrl: string): Client {
  return createClient({
    url: apiUrl,
    exchanges: [cacheExchange, fetchExchange],
    preferGetMethod: false,
    requestPolicy: "cache-and-network",
  });
}
