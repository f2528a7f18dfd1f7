// Linear probing on the model page in Chromium, over a real tiny atlas: before any job the page says no probes are
// stored; an admin picks the dataset and clicks "Run probes", the API's runner runs the PROBE_CONCEPTS job (real
// ONNX inference), and the page shows a layer × family heatmap per tower whose cells carry the stored accuracy and
// chance. Screenshot: model-probing.
import type { Browser, BrowserContext } from "playwright-core";
import { startTestApi, type TestApi } from "../src/api-server";
import { launchBrowser } from "../src/browser";
import { closeAll, signUp, signedInContext } from "../src/people";
import { saveScreenshot } from "../src/screenshot";
import { buildTinyAtlas, type TinyAtlas } from "../src/tiny-atlas";
import { startWebServer, type WebServer } from "../src/web-server";

jest.setTimeout(300_000);

describe("probing heatmap", () => {
  let api: TestApi;
  let web: WebServer;
  let browser: Browser;
  let atlas: TinyAtlas;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    atlas = await buildTinyAtlas(api.prisma, { images: 160, texts: 96 });
    web = await startWebServer({ apiUrl: api.graphqlUrl, logName: "web-probing" });
    browser = await launchBrowser();
  });

  afterAll(() => closeAll({ contexts, browser, web, api }));

  test("an admin runs the probes and sees the layer × family heatmap with accuracy and chance", async () => {
    const admin = await signUp(api.prisma, { email: "probe-admin@example.org", displayName: "Admin" });
    const context = await signedInContext(browser, contexts, admin.secret, { width: 1280, height: 1400 });
    const page = await context.newPage();
    await page.goto(`${web.url}/models/${encodeURIComponent(atlas.modelName)}`);
    await page.getByTestId("probing-none").waitFor({ timeout: 60_000 });
    await page.getByTestId("probing-run-dataset").selectOption({ label: "e2e-tiny" });
    await page.getByTestId("run-probing").click();
    await page.getByTestId("probing-grid-vision").waitFor({ timeout: 120_000 });
    await page.getByTestId("probing-grid-text").waitFor({ timeout: 10_000 });

    const rows = await api.prisma.probeResult.findMany({ where: { modelId: atlas.modelId } });
    expect(rows.length).toBeGreaterThan(0);
    expect(await page.getByTestId("probing-cell").count()).toBe(rows.length);
    const colour = rows.find(
      (r) =>
        r.tower === "VISION" &&
        r.hookName === "vision.blocks.1.hook_resid_post" &&
        !r.dictionary &&
        r.family === "color",
    )!;
    const cell = page
      .getByTestId("probing-grid-vision")
      .locator(`[data-family="color"][data-accuracy="${colour.accuracy}"]`)
      .first();
    expect(await cell.getAttribute("data-chance")).toBe(String(colour.chance));
    expect(await cell.getAttribute("title")).toContain(`chance ${(colour.chance * 100).toFixed(1)} %`);
    expect(await cell.textContent()).toContain(String(Math.round(colour.accuracy * 100)));
    await saveScreenshot(page, "model-probing");
  });
});
