// Browsing at size (issue 16 §2), kept small for CI: an atlas of CLIP ViT-B/32 geometry (e2e/src/large-atlas.ts:
// 72 real hook points, 224 px images on a 7×7 patch grid + CLS, 77-token texts; 64 neurons per MLP hook + 240 heads =
// 1,776 units, 53,760 top-activation rows). The model page shows one page of units with the true total and fetches
// the next page only on demand; a vision neuron's unit page draws 7×7 heatmaps over the 224 px images; a vision
// head's patterns use the same grid and a text head's stay a strip.
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { LARGE_MODEL, UNIT_PREFIX, seedLargeAtlas, type LargeAtlas } from "../src/large-atlas";
import { startTestApi, type TestApi } from "../src/api-server";
import { launchBrowser } from "../src/browser";
import { closeAll, signedInContext } from "../src/people";
import { saveScreenshot } from "../src/screenshot";
import { startWebServer, type WebServer } from "../src/web-server";

jest.setTimeout(120_000);

/** neurons seeded per MLP hook (the real widths are 3,072 / 2,048; a few dozen pages are enough to browse) */
const UNITS_PER_HOOK = 64;

const PAGE = 50; // UnitTable's page size

describe("a ViT-B/32-geometry atlas in the browser", () => {
  let api: TestApi;
  let web: WebServer;
  let browser: Browser;
  let atlas: LargeAtlas;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    const t = Date.now();
    // one transaction: one connection for the seeder's temporary table (PGlite or a PostgreSQL pool)
    atlas = await api.prisma.$transaction(
      (tx) =>
        seedLargeAtlas(
          { query: (text, params = []) => tx.$executeRawUnsafe(text, ...params) },
          { unitsPerHook: UNITS_PER_HOOK, images: 40, texts: 40 },
        ),
      { timeout: 120_000, maxWait: 10_000 },
    );
    console.log(
      `seeded ${atlas.units} units, ${atlas.topActivations} top activations in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
    web = await startWebServer({ apiUrl: api.graphqlUrl, logName: "web-large-atlas" });
    browser = await launchBrowser();
  });

  afterAll(() => closeAll({ contexts, browser, web, api }));

  async function open(path: string): Promise<{ page: Page; unitQueries: string[] }> {
    const context = await signedInContext(browser, contexts, null, { width: 1280, height: 900 });
    const page = await context.newPage();
    const unitQueries: string[] = [];
    page.on("request", (r: Request) => {
      const body = r.method() === "POST" ? (r.postData() ?? "") : "";
      if (body.includes("AtlasUnits")) unitQueries.push(body);
    });
    page.on("console", (m) => {
      if (m.type() === "error") console.log(`[browser] ${m.text()}`);
    });
    await page.goto(`${web.url}${path}`);
    return { page, unitQueries };
  }

  test("the model page shows one page of units and the true total, and fetches the next page on demand", async () => {
    expect(atlas.units).toBe(24 * UNITS_PER_HOOK + 240); // 24 MLP hooks + 12×12 vision and 12×8 text heads
    expect(await api.prisma.unit.count({ where: { modelId: LARGE_MODEL } })).toBe(atlas.units);
    const { page, unitQueries } = await open(`/models/${LARGE_MODEL}`);
    await page
      .getByTestId("unit-total")
      .filter({ hasText: `${atlas.units.toLocaleString("en-US")} units` })
      .waitFor({ timeout: 30_000 });
    await page
      .getByTestId("unit-row")
      .nth(PAGE - 1)
      .waitFor();
    expect(await page.getByTestId("unit-row").count()).toBe(PAGE);
    expect(unitQueries).toHaveLength(1);
    // all 72 hook points listed: 48 with unit sets (MLP neurons, heads), 24 residual streams without units
    expect(await page.getByTestId("hook-point").count()).toBe(48);
    expect(await page.getByTestId("unit-set").count()).toBe(48);
    await saveScreenshot(page, "large-atlas-model");

    await page.getByRole("button", { name: `Load more (${atlas.units - PAGE} left)` }).click();
    await page
      .getByTestId("unit-row")
      .nth(2 * PAGE - 1)
      .waitFor();
    expect(await page.getByTestId("unit-row").count()).toBe(2 * PAGE);
    expect(unitQueries).toHaveLength(2);
    expect(JSON.parse(unitQueries[1]).variables.after).toEqual(expect.any(String));
  });

  test("a vision neuron's unit page draws 7×7 patch heatmaps over 224 px images", async () => {
    const { page } = await open(`/units/${UNIT_PREFIX}5`);
    await page.getByTestId("unit-title").filter({ hasText: "neuron #5" }).waitFor({ timeout: 30_000 });
    const heatmaps = page.getByTestId("patch-heatmap");
    await heatmaps.first().waitFor();
    // 16 top examples (the page's limit) + 15 quantile samples, every one on the model's grid
    expect(await heatmaps.count()).toBe(16 + 15);
    for (const grid of await heatmaps.all()) {
      expect(await grid.getAttribute("data-grid")).toBe("7");
      expect(await grid.locator("span").count()).toBe(49);
    }
    const first = heatmaps.first();
    // the strongest patch of the strongest example is opaque-ish, the others fade: values reached the cells in order
    const alphas = await first.locator("span").evaluateAll((cells) =>
      cells.map((c) =>
        Number(
          getComputedStyle(c)
            .backgroundColor.match(/[\d.]+\)$/)?.[0]
            .slice(0, -1) ?? 0,
        ),
      ),
    );
    expect(Math.max(...alphas)).toBeCloseTo(0.75, 2);
    expect(alphas.filter((a) => a > 0.5)).toHaveLength(1);
    const image = page.locator(".heatmap__image").first();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>(".heatmap__image");
      return Boolean(img?.complete && img.naturalWidth);
    });
    expect(await image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([224, 224]);
    // images come from the API's image route (cacheable), not inlined as data: URLs in the GraphQL answer
    expect(await image.getAttribute("src")).toBe(
      `${new URL(api.graphqlUrl).origin}/images/examples/${(await api.prisma.topActivation.findFirstOrThrow({ where: { unitId: `${UNIT_PREFIX}5`, band: "TOP", rank: 0 } })).exampleId}`,
    );
    await saveScreenshot(page, "large-atlas-unit");
  });

  test("head patterns: the 7×7 grid for a vision head, a strip for a text head of 17 tokens", async () => {
    const heads = await api.prisma.unit.findMany({
      where: { modelId: LARGE_MODEL, kind: "ATTENTION_HEAD", index: 0, hookPoint: { layer: 0 } },
      include: { hookPoint: true },
    });
    const vision = heads.find((h) => h.hookPoint.tower === "VISION")!,
      text = heads.find((h) => h.hookPoint.tower === "TEXT")!;
    let { page } = await open(`/units/${vision.id}`);
    await page.getByTestId("attention-patterns").waitFor({ timeout: 30_000 });
    const grid = page.locator(".pattern__grid").first();
    await grid.waitFor();
    expect(await grid.locator("span").count()).toBe(49);
    ({ page } = await open(`/units/${text.id}`));
    await page.getByTestId("attention-patterns").waitFor({ timeout: 30_000 });
    await page.locator(".pattern__strip").first().waitFor();
    expect(await page.locator(".pattern__grid").count()).toBe(0);
    expect(await page.locator(".pattern__strip").first().locator("span").count()).toBe(17);
  });
});
