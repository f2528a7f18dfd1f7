// Next.js proxy (runs before routing): a path that is not valid percent-encoded UTF-8 (e.g. /units/%E0%A4%A)
// makes Next's own route-parameter decoding fail with a bare 500 before any page runs, so such requests are
// answered here with the app's not-found page (404) instead.
import { NextResponse, type NextRequest } from "next/server";
import { decodeRouteParam } from "./lib/route-param";

export function proxy(request: NextRequest) {
  if (decodeRouteParam(request.nextUrl.pathname) !== null) return NextResponse.next();
  // no route has this path: Next renders app/not-found.tsx with status 404
  return NextResponse.rewrite(new URL("/_malformed-url", request.url));
}

export const config = {
  // pages only: Next's own assets and files never carry user-made escapes
  matcher: ["/((?!_next/|favicon\\.ico).*)"],
};
