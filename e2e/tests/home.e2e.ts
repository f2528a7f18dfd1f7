// The home page in Chromium lists the models the API serves from the database: the built-in model
// registered through libs/catalog, and a model added afterwards appears on reload (live data, not a build).
// Also: a malformed unit URL gives the 404 page, and sign-in's ?next= never sends the user off-site.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { registerModelFromManifest } from "@mmatlas/catalog";
import { startTestApi, type TestApi } from "../src/api-server";
import { launchBrowser } from "../src/browser";
import { closeAll, signUp } from "../src/people";
import { BUILTIN_MANIFEST } from "../src/paths";
import { saveScreenshot } from "../src/screenshot";
import { startWebServer, type WebServer } from "../src/web-server";

describe("home page", () => {
  let api: TestApi;
  let web: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    api = await startTestApi();
    web = await startWebServer({ apiUrl: api.graphqlUrl, logName: "web-home" });
    browser = await launchBrowser();
  });

  afterAll(() => closeAll({ browser, web, api }));

  test("renders the registered models from the API", async () => {
    const manifest = JSON.parse(readFileSync(BUILTIN_MANIFEST, "utf8")) as {
      name: string;
      displayName: string;
      architecture: string;
      hookPoints: unknown[];
    };
    const { model } = await registerModelFromManifest(api.prisma, BUILTIN_MANIFEST);
    expect(model.displayName).toBe(manifest.displayName);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(web.url);
    const builtin = page.getByTestId("model-card").filter({ hasText: manifest.displayName });
    await builtin.waitFor({ timeout: 30_000 });
    const text = await builtin.textContent();
    expect(text).toContain(manifest.name);
    expect(text).toContain(manifest.architecture);
    expect(await builtin.getByTestId("hook-point-count").textContent()).toMatch(
      new RegExp(`^${manifest.hookPoints.length}\\b`),
    );
    const units = await api.prisma.unit.count({ where: { modelId: model.id } });
    await builtin
      .getByTestId("unit-count")
      .filter({ hasText: units.toLocaleString("en-US") })
      .waitFor();
    await saveScreenshot(page, "home");

    // A model stored after the page was built shows up on reload: the page reads the API, live.
    const name = `e2e-${randomBytes(4).toString("hex")}`;
    await api.prisma.model.create({
      data: {
        name,
        displayName: `E2E model ${name}`,
        modality: "TEXT",
        architecture: "test-arch",
        onnxFiles: {},
        config: {},
        directory: "/nonexistent",
      },
    });
    await page.reload();
    await page
      .getByTestId("model-card")
      .filter({ hasText: `E2E model ${name}` })
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("model-card").count()).toBe(2);
  });

  test("a malformed unit URL answers 404 with the not-found page, not a 500", async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${web.url}/units/%E0%A4%A`);
    expect(res?.status()).toBe(404);
    await page.getByText("Page not found").waitFor({ timeout: 30_000 });
    await page.close();
  });

  test("after sign-in, ?next= pointing off-site lands on the home page", async () => {
    await signUp(api.prisma, { email: "next@example.org", displayName: "Next" });
    for (const next of ["//evil.example/phish", "/\\evil.example"]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${web.url}/sign-in?next=${encodeURIComponent(next)}`);
      await page.locator('input[name="email"]').fill("next@example.org");
      await page.locator('input[name="password"]').fill("long-enough-pw");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname === "/" || url.origin !== web.url, { timeout: 30_000 });
      expect(new URL(page.url()).origin).toBe(new URL(web.url).origin);
      expect(new URL(page.url()).pathname).toBe("/");
      await context.close();
    }
  });
});
