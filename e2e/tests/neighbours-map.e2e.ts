// Similar units and the unit-set map in Chromium over a real tiny atlas (built with ONNX inference, so the
// neighbours and the UMAP layout are the builder's own): a unit page lists similar units by direction and by
// activation, a click opens the neighbour's page; the atlas browser's map of an SAE shows one point per stored unit
// and clicking a point opens that unit.
import type { Page } from "playwright-core";
import { signedInContext } from "../src/people";
import { saveScreenshot } from "../src/screenshot";
import { TINY_SAES } from "../src/tiny-atlas";
import { useTinyAtlasSuite } from "../src/tiny-atlas-suite";

jest.setTimeout(300_000);

describe("similar units and unit-set maps", () => {
  const s = useTinyAtlasSuite("web-neighbours");

  async function open(path: string): Promise<Page> {
    const context = await signedInContext(s.browser, s.contexts, null, { width: 1280, height: 1000 });
    const page = await context.newPage();
    await page.goto(`${s.web.url}${path}`);
    return page;
  }

  test("a unit page lists similar units; clicking one opens it", async () => {
    const feature = await s.api.prisma.unit.findFirstOrThrow({
      where: { modelId: s.atlas.modelId, kind: "SAE_FEATURE", index: 0 },
    });
    const stored = await s.api.prisma.unitNeighbour.findMany({
      where: { unitId: feature.id },
      include: { neighbour: true },
      orderBy: [{ kind: "asc" }, { rank: "asc" }],
    });
    const byDirection = stored.filter((n) => n.kind === "DECODER_COSINE");
    expect(byDirection).toHaveLength(10); // 12 features in the tiny atlas → 10 stored neighbours
    const page = await open(`/units/${feature.id}`);
    const list = page.getByTestId("similar-by-direction");
    await list.getByTestId("similar-unit").nth(9).waitFor({ timeout: 30_000 });
    expect(await list.getByTestId("similar-unit").count()).toBe(10);
    const first = list.getByTestId("similar-unit").first();
    expect(await first.locator("td").first().textContent()).toBe(`feature #${byDirection[0].neighbour.index}`);
    expect(await first.locator("td.num").textContent()).toBe(byDirection[0].score.toFixed(3));
    const byActivation = stored.filter((n) => n.kind === "ACTIVATION_CORRELATION");
    expect(await page.getByTestId("similar-by-activation").getByTestId("similar-unit").count()).toBe(
      byActivation.length,
    );
    await page.getByTestId("similar-units").scrollIntoViewIfNeeded();
    await saveScreenshot(page, "unit-similar-units");

    await first.getByRole("link").click();
    await page.waitForURL(new RegExp(`/units/${byDirection[0].neighbourId}$`));
    await page
      .getByTestId("unit-title")
      .filter({ hasText: `#${byDirection[0].neighbour.index}` })
      .waitFor({ timeout: 30_000 });
  });

  test("the atlas browser's map of an SAE: one point per unit, a click opens the unit", async () => {
    const dict = await s.api.prisma.dictionary.findFirstOrThrow({
      where: { modelId: s.atlas.modelId, name: TINY_SAES[0] },
    });
    const points = await s.api.prisma.unitMapPoint.findMany({
      where: { unit: { dictionaryId: dict.id } },
      include: { unit: true },
    });
    expect(points).toHaveLength(12);
    const page = await open(`/models/${s.atlas.modelId}?hook=${dict.hookPointId}&dict=${dict.id}&kind=SAE_FEATURE`);
    await page.getByTestId("map-toggle").click();
    const dots = page.getByTestId("map-point");
    await dots.nth(11).waitFor({ timeout: 30_000 });
    expect(await dots.count()).toBe(12);
    await page.getByLabel("colour map by").selectOption("concept");
    await saveScreenshot(page, "atlas-unit-map");
    // the last point is drawn on top of all others, so nothing overlaps it
    const last = dots.last();
    const unitId = await last.getAttribute("data-unit-id");
    expect(points.map((p) => p.unitId)).toContain(unitId);
    await last.click();
    await page.waitForURL(new RegExp(`/units/${unitId}$`));
    const unit = points.find((p) => p.unitId === unitId)!.unit;
    await page
      .getByTestId("unit-title")
      .filter({ hasText: `#${unit.index}` })
      .waitFor({ timeout: 30_000 });
  });
});
