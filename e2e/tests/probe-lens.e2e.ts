// Logit lens in the live probe, in Chromium: with the built-in model registered, upload a generated red circle
// and probe: the lens panel draws the 4 × 4 patch grid of words over the image with a CLS row whose hover text
// has "red" among the last layer's top 3; the layer slider switches to layer 0 (other words); the position ×
// layer table lists CLS + 16 patches for both layers.
import { registerModelFromManifest } from "@mmatlas/catalog";
import { builtinModelDir, encodePng, IMAGE_SIZE, renderScene, type Scene } from "@mmatlas/model-zoo";
import type { Browser, BrowserContext } from "playwright-core";
import { startTestApi, type TestApi } from "../src/api-server";
import { launchBrowser } from "../src/browser";
import { closeAll, signedInContext } from "../src/people";
import { saveScreenshot } from "../src/screenshot";
import { startWebServer, type WebServer } from "../src/web-server";

jest.setTimeout(300_000);

function redCircle(): Buffer {
  const scene: Scene = {
    kind: "object",
    objects: [{ color: "red", shape: "circle", size: "large", position: "center", cx: 16, cy: 16, r: 8 }],
  };
  let s = 21;
  const rng = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return encodePng(renderScene(scene, rng), IMAGE_SIZE, IMAGE_SIZE);
}

describe("probe logit lens", () => {
  let api: TestApi;
  let web: WebServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    await registerModelFromManifest(api.prisma, builtinModelDir());
    web = await startWebServer({ apiUrl: api.graphqlUrl, logName: "web-lens" });
    browser = await launchBrowser();
  });

  afterAll(() => closeAll({ contexts, browser, web, api }));

  test("a patch × layer grid of words over the uploaded image, with a layer slider", async () => {
    const context = await signedInContext(browser, contexts, null, { width: 1280, height: 1400 });
    const page = await context.newPage();
    await page.goto(`${web.url}/probe`);
    await page.getByLabel("image file").setInputFiles({ name: "red.png", mimeType: "image/png", buffer: redCircle() });
    await page.getByRole("button", { name: "Probe" }).click();
    const grid = page.getByTestId("logit-lens-grid");
    await grid.waitFor({ timeout: 60_000 });
    expect(await grid.getAttribute("data-rows")).toBe("4");
    expect(await grid.locator(".lens__cell").count()).toBe(16);
    const cls = page.getByTestId("logit-lens-cls");
    expect(await cls.textContent()).toMatch(/^CLS\s*\S+/);
    // hover text: the top 3 with their cosine, "red" among them at the last layer
    const title = (await cls.locator("span").first().getAttribute("title"))!;
    expect(title.split("\n")).toHaveLength(4);
    expect(title).toMatch(/\nred\s+-?\d\.\d{3}(\n|$)/);
    const lastLayerWords = await grid.locator(".lens__cell").allTextContents();
    expect(lastLayerWords.every((w) => w.trim().length > 0)).toBe(true);
    await saveScreenshot(page, "probe-logit-lens");

    const slider = page.getByTestId("logit-lens-layer");
    expect(await slider.getAttribute("max")).toBe("1");
    await slider.focus();
    await page.keyboard.press("Home");
    await page.getByTestId("logit-lens").locator("code", { hasText: "vision.blocks.0.hook_resid_post" }).waitFor();
    const firstLayerWords = await grid.locator(".lens__cell").allTextContents();
    expect(firstLayerWords).toHaveLength(16);
    expect(firstLayerWords).not.toEqual(lastLayerWords);

    const table = page.getByTestId("logit-lens-table");
    expect(await table.locator("tbody tr").count()).toBe(17);
    expect(await table.locator("thead th").count()).toBe(3);
  });
});
