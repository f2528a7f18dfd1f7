// Builds the urql client the browser uses to talk to the mmatlas GraphQL API: queries and mutations as POST
// (Apollo CSRF prevention), subscriptions over graphql-ws on the same path, and the stored session sent as
// "Authorization: Bearer …" on both (features/auth/session-store).
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { cacheExchange, createClient, fetchExchange, subscriptionExchange, type Client } from "urql";
import { authorizationHeaders, subscribeToSession } from "../features/auth/session-store";
import { graphqlWsUrlFromApiUrl } from "../features/collab/collab-url";

export function createApiClient(apiUrl: string): Client {
  const exchanges = [cacheExchange, fetchExchange];
  if (typeof window !== "undefined") {
    let ws: WsClient | null = null;
    const wsClient = () =>
      (ws ??= createWsClient({
        url: graphqlWsUrlFromApiUrl(apiUrl, window.location.href),
        connectionParams: () => authorizationHeaders(),
        lazy: true,
        retryAttempts: Infinity,
      }));
    // signing in/out re-authenticates live subscriptions: drop the socket, the next subscription reconnects
    subscribeToSession(() => {
      const old = ws;
      ws = null;
      void old?.dispose();
    });
    exchanges.push(
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: wsClient().subscribe({ ...request, query: request.query ?? "" }, sink),
          }),
        }),
      }),
    );
  }
  return createClient({
    url: apiUrl,
    exchanges,
    preferGetMethod: false,
    requestPolicy: "cache-and-network",
    fetchOptions: () => ({ headers: authorizationHeaders() }),
  });
}
