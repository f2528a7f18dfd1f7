// The stack most browser suites run against: a test API (its own database, in-process job runner), the tiny atlas
// built in it, the web app pointed at it and Chromium, started in jest's beforeAll and closed in afterAll with every
// browser context the suite opened. Its fields are set once beforeAll has run: read them inside tests and hooks.
import type { Browser, BrowserContext } from "playwright-core";
import { startTestApi, type TestApi } from "./api-server";
import { launchBrowser } from "./browser";
import { closeAll } from "./people";
import { buildTinyAtlas, type TinyAtlas } from "./tiny-atlas";
import { startWebServer, type WebServer } from "./web-server";

export interface TinyAtlasSuite {
  api: TestApi;
  atlas: TinyAtlas;
  web: WebServer;
  browser: Browser;
  /** contexts the suite opens (signedInContext pushes here); closed after the suite */
  contexts: BrowserContext[];
}

/** Registers the suite's beforeAll/afterAll; `logName` names the web server's log. */
export function useTinyAtlasSuite(
  logName: string,
  atlasOptions?: Parameters<typeof buildTinyAtlas>[1],
): TinyAtlasSuite {
  const suite = { contexts: [] as BrowserContext[] } as TinyAtlasSuite;
  beforeAll(async () => {
    suite.api = await startTestApi();
    suite.atlas = await buildTinyAtlas(suite.api.prisma, atlasOptions);
    suite.web = await startWebServer({ apiUrl: suite.api.graphqlUrl, logName });
    suite.browser = await launchBrowser();
  });
  afterAll(() => closeAll(suite));
  return suite;
}
