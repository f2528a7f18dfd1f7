// Steering in the live probe, in Chromium over a real tiny atlas: from a neuron's unit page ("Steer this
// unit"), upload a generated image, push the strength slider to its maximum and steer: the neuron's own
// activation rises by that strength, the before/after class bars and both caption lists show; moving the
// slider to its minimum re-runs it live (activation falls); a "steer" button in the top units switches unit;
// typed class prompts replace the default classes.
import { encodePng, generateExample } from "@mmatlas/model-zoo";
import type { Browser, BrowserContext } from "playwright-core";
import { startTestApi, type TestApi } from "../src/api-server";
import { launchBrowser } from "../src/browser";
import { closeAll, signedInContext } from "../src/people";
import { saveScreenshot } from "../src/screenshot";
import { buildTinyAtlas, type TinyAtlas } from "../src/tiny-atlas";
import { startWebServer, type WebServer } from "../src/web-server";

jest.setTimeout(300_000);

const MLP = "vision.blocks.1.mlp.hook_post";

describe("probe steering", () => {
  let api: TestApi;
  let web: WebServer;
  let browser: Browser;
  let atlas: TinyAtlas;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    atlas = await buildTinyAtlas(api.prisma);
    // the tiny atlas builds 12 of the layer's 256 neurons; register the rest (no statistics) so the probe's top
    // units all have atlas rows and "steer" buttons
    const hook = await api.prisma.hookPoint.findFirstOrThrow({ where: { modelId: atlas.modelId, name: MLP } });
    const built = new Set(
      (
        await api.prisma.unit.findMany({ where: { hookPointId: hook.id, kind: "NEURON" }, select: { index: true } })
      ).map((u) => u.index),
    );
    await api.prisma.unit.createMany({
      data: Array.from({ length: hook.width }, (_, index) => index)
        .filter((i) => !built.has(i))
        .map((index) => ({
          slug: `${atlas.modelName}/${MLP}/neuron/${index}`,
          modelId: atlas.modelId,
          hookPointId: hook.id,
          kind: "NEURON" as const,
          index,
        })),
    });
    web = await startWebServer({ apiUrl: api.graphqlUrl, logName: "web-steer" });
    browser = await launchBrowser();
  });

  afterAll(() => closeAll({ contexts, browser, web, api }));

  test("steer a neuron from its unit page: activation and class probabilities move with the slider", async () => {
    const neuron = await api.prisma.unit.findFirstOrThrow({
      where: { modelId: atlas.modelId, kind: "NEURON", hookPoint: { name: MLP }, topActivations: { some: {} } },
      orderBy: { index: "asc" },
    });
    const context = await signedInContext(browser, contexts, null, { width: 1280, height: 1100 });
    const page = await context.newPage();
    await page.goto(`${web.url}/units/${neuron.id}`);
    await page.getByTestId("steer-link").click();
    await page.waitForURL(/\/probe\?unit=.*#steer$/);
    const panel = page.getByTestId("steer-panel");
    await panel
      .getByRole("heading")
      .filter({ hasText: `neuron #${neuron.index}` })
      .waitFor({ timeout: 30_000 });

    const ex = generateExample(4242, 0);
    await page
      .getByLabel("image file")
      .setInputFiles({ name: "probe.png", mimeType: "image/png", buffer: encodePng(ex.pixels, ex.width, ex.height) });
    const slider = page.getByLabel("steering strength");
    const max = Number(await slider.getAttribute("max"));
    expect(max).toBeGreaterThan(0);
    await slider.focus();
    await page.keyboard.press("End");
    expect(Number(await page.getByTestId("steer-strength").textContent())).toBeCloseTo(max, 2);
    await page.getByTestId("steer-run").click();
    const result = page.getByTestId("steer-result");
    await result.waitFor({ timeout: 60_000 });
    const before = Number(await page.getByTestId("steer-unit-before").textContent());
    const after = Number(await page.getByTestId("steer-unit-after").textContent());
    expect(after - before).toBeCloseTo(max, 2); // +strength on the neuron's post-activation at every patch
    expect(await page.getByTestId("steer-classes").locator("tbody tr").count()).toBe(8);
    expect(await page.getByTestId("steer-classes").locator(".steer__bar--after").count()).toBe(8);
    expect(await page.getByTestId("steer-captions-before").locator("li").count()).toBe(5);
    expect(await page.getByTestId("steer-captions-after").locator("li").count()).toBe(5);
    const deltas = await page.getByTestId("steer-classes").locator("tbody td.num").allTextContents();
    expect(deltas.some((d) => !d.startsWith("±"))).toBe(true); // some class probability moved
    await saveScreenshot(page, "probe-steer");

    // after a first run the slider is live: its minimum steers the other way
    await slider.focus();
    await page.keyboard.press("Home");
    await page.waitForFunction(
      () => {
        const value = (id: string) => Number(document.querySelector(`[data-testid=${id}]`)?.textContent);
        return value("steer-unit-after") < value("steer-unit-before");
      },
      undefined,
      { timeout: 30_000 },
    );
    expect(Number(await page.getByTestId("steer-strength").textContent())).toBeCloseTo(-max, 2);

    // probing lists the layer's top units, each with a "steer" button that switches the panel's unit
    await page.getByRole("button", { name: "Probe" }).click();
    await page.getByTestId("probe-top-units").waitFor({ timeout: 60_000 });
    const rows = page
      .getByTestId("probe-top-units")
      .locator("tbody tr")
      .filter({ has: page.getByTestId("steer-unit-button") });
    expect(await rows.count()).toBeGreaterThan(1);
    const names = (await rows.locator("td:first-child").allTextContents()).map((t) => t.trim());
    const other = names.findIndex((n) => n !== `neuron #${neuron.index}`);
    await rows.nth(other).getByTestId("steer-unit-button").click();
    await panel
      .getByRole("heading")
      .filter({ hasText: new RegExp(`${names[other]}(?!\\d)`) })
      .waitFor({ timeout: 30_000 });

    // your own class prompts replace the default 30
    await page.getByLabel("class prompts").fill("a red circle, a blue square\nthe word orange");
    await page.getByTestId("steer-run").click();
    await page.getByTestId("steer-classes").locator("tbody tr").nth(2).waitFor({ timeout: 30_000 });
    expect((await page.getByTestId("steer-classes").locator("tbody td:first-child").allTextContents()).sort()).toEqual([
      "a blue square",
      "a red circle",
      "the word orange",
    ]);
  });
});
