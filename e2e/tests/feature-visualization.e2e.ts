// Feature visualization on a unit page in Chromium, over a real tiny atlas of the built-in model: an annotator sees
// "not computed" on a vision neuron, presses "Visualize", follows the FEATURE_VISUALIZATION job's progress (the API's
// in-process runner optimises the image with the tfjs model) and then sees the stored image with its activation
// against the unit's dataset max; a reader who is signed out gets no button; a text-tower unit says why it cannot be
// visualized. Screenshot: unit-feature-visualization.
import { signUp, signedInContext } from "../src/people";
import { saveScreenshot } from "../src/screenshot";
import { useTinyAtlasSuite } from "../src/tiny-atlas-suite";

jest.setTimeout(300_000);

describe("feature visualization on a unit page", () => {
  const s = useTinyAtlasSuite("web-feature-vis");

  const unitPage = (slug: string) => `${s.web.url}/units/${encodeURIComponent(slug)}`;

  test("an annotator visualizes a vision neuron and sees the optimised image with its activation", async () => {
    const neuron = await s.api.prisma.unit.findFirstOrThrow({
      where: { modelId: s.atlas.modelId, kind: "NEURON", hookPoint: { name: "vision.blocks.1.mlp.hook_post" } },
      orderBy: { index: "asc" },
    });
    expect(await s.api.prisma.featureVisualization.count({ where: { unitId: neuron.id } })).toBe(0);

    const reader = await signedInContext(s.browser, s.contexts, null, { width: 1280, height: 1000 });
    const readerPage = await reader.newPage();
    await readerPage.goto(unitPage(neuron.slug));
    await readerPage.getByTestId("feature-visualization-missing").waitFor({ timeout: 60_000 });
    expect(await readerPage.getByTestId("feature-visualization-run").count()).toBe(0);

    // the first account of a fresh database becomes its admin: the annotator is the second
    await signUp(s.api.prisma, { email: "fv-admin@example.org", displayName: "Admin" });
    const annotator = await signUp(s.api.prisma, { email: "fv-annotator@example.org", displayName: "Annotator" });
    expect((await s.api.prisma.user.findUniqueOrThrow({ where: { id: annotator.userId } })).role).toBe("ANNOTATOR");
    const context = await signedInContext(s.browser, s.contexts, annotator.secret, { width: 1280, height: 1000 });
    const page = await context.newPage();
    await page.goto(unitPage(neuron.slug));
    await page.getByTestId("feature-visualization-run").click();
    await page.getByTestId("feature-visualization-image").waitFor({ timeout: 240_000 });

    const row = await s.api.prisma.featureVisualization.findUniqueOrThrow({ where: { unitId: neuron.id } });
    const job = await s.api.prisma.job.findFirstOrThrow({
      where: { kind: "FEATURE_VISUALIZATION", createdById: annotator.userId },
    });
    expect(job.status).toBe("SUCCEEDED");
    expect((job.params as { unitIds: string[] }).unitIds).toEqual([neuron.id]);
    const src = await page.getByTestId("feature-visualization-image").getAttribute("src");
    expect(src).toBe(`data:image/png;base64,${Buffer.from(row.image).toString("base64")}`);
    const caption = await page.locator("[data-testid=feature-visualization] figcaption").textContent();
    expect(caption).toContain(`start image ${row.startActivation.toFixed(2)}`);
    expect(caption).toContain(`${row.steps} Adam steps, seed ${row.seed}`);
    expect(await page.getByTestId("feature-visualization-run").count()).toBe(0);
    await saveScreenshot(page, "unit-feature-visualization");
  });

  test("a text-tower unit says why it cannot be visualized", async () => {
    const text = await s.api.prisma.unit.findFirstOrThrow({
      where: { modelId: s.atlas.modelId, kind: "NEURON", hookPoint: { tower: "TEXT" } },
      orderBy: { index: "asc" },
    });
    const context = await signedInContext(s.browser, s.contexts, null, { width: 1280, height: 1000 });
    const page = await context.newPage();
    await page.goto(unitPage(text.slug));
    await page.getByTestId("feature-visualization-unavailable").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("feature-visualization-unavailable").textContent()).toMatch(/text/i);
  });
});
