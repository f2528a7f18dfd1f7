// Routes HTTP upgrade requests (WebSockets) by path, so several WebSocket services share one server:
// graphql-ws on /graphql now, Hocuspocus on /collab later. Unknown paths get a 404 and are closed.
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface UpgradeRouter {
  route(path: string, handler: UpgradeHandler): void;
  paths(): string[];
}

export function attachUpgradeRouter(server: Server): UpgradeRouter {
  const routes = new Map<string, UpgradeHandler>();
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    } catch {
      pathname = "";
    }
    const handler = routes.get(pathname);
    if (!handler) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    handler(req, socket, head);
  });
  return {
    route(path, handler) {
      if (routes.has(path)) throw new Error(`an upgrade handler for ${path} already exists`);
      routes.set(path, handler);
    },
    paths: () => [...routes.keys()],
  };
}
