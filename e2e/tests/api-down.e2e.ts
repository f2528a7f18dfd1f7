// The home page degrades gracefully when the API cannot be reached: a clear alert naming the endpoint
// and a working Retry button, instead of a crash or an endless spinner.
import type { Browser } from "playwright-core";
import { freePort } from "../src/free-port";
import { launchBrowser } from "../src/browser";
import { saveScreenshot } from "../src/screenshot";
import { startWebServer, type WebServer } from "../src/web-server";

describe("home page without an API", () => {
  let web: WebServer;
  let browser: Browser;
  let deadApiUrl: string;

  beforeAll(async () => {
    deadApiUrl = `http://127.0.0.1:${await freePort()}/graphql`; // nothing listens there
    web = await startWebServer({ apiUrl: deadApiUrl, logName: "web-api-down" });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  test("shows an 'API unreachable' alert with the endpoint and a Retry button", async () => {
    const page = await browser.newPage();
    await page.goto(web.url);
    const alert = page.getByTestId("api-error");
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain("Cannot reach the mmatlas API");
    expect(await alert.textContent()).toContain(deadApiUrl);
    await saveScreenshot(page, "home-api-down");

    await page.getByRole("button", { name: "Retry" }).click();
    await page.getByTestId("api-error").waitFor();
    expect(await page.getByTestId("model-card").count()).toBe(0);
  });
});
