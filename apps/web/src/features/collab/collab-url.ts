// Where the collaboration WebSocket lives: the API's /collab path next to /graphql, same host and port.
export const COLLAB_PATH = "/collab";

/** "http://h:4000/graphql" → "ws://h:4000/collab" (https → wss); relative URLs resolve against `base`. */
export function collabUrlFromApiUrl(apiUrl: string, base?: string): string {
  const url = new URL(apiUrl, base);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.pathname = url.pathname.replace(/\/graphql\/?$/, "") + COLLAB_PATH;
  url.search = "";
  url.hash = "";
  return url.toString();
}

/** "http://h:4000/graphql" → "ws://h:4000/graphql" (GraphQL subscriptions over graphql-ws). */
export function graphqlWsUrlFromApiUrl(apiUrl: string, base?: string): string {
  const url = new URL(apiUrl, base);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}
