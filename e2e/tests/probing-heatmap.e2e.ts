// Linear probing on the model page in Chromium, over a real tiny atlas: before any job the page says no probes are
// stored; an admin picks the dataset and clicks "Run probes", the API's runner runs the PROBE_CONCEPTS job (real
// ONNX inference), and the page shows a layer × family heatmap per tower whose cells carry the stored accuracy and
// chance. Screenshot: model-probing.
import { signUp, signedInContext } from "../src/people";
import { saveScreenshot } from "../src/screenshot";
import { useTinyAtlasSuite } from "../src/tiny-atlas-suite";

jest.setTimeout(300_000);

describe("probing heatmap", () => {
  const s = useTinyAtlasSuite("web-probing", { images: 160, texts: 96 });

  test("an admin runs the probes and sees the layer × family heatmap with accuracy and chance", async () => {
    const admin = await signUp(s.api.prisma, { email: "probe-admin@example.org", displayName: "Admin" });
    const context = await signedInContext(s.browser, s.contexts, admin.secret, { width: 1280, height: 1400 });
    const page = await context.newPage();
    await page.goto(`${s.web.url}/models/${encodeURIComponent(s.atlas.modelName)}`);
    await page.getByTestId("probing-none").waitFor({ timeout: 60_000 });
    await page.getByTestId("probing-run-dataset").selectOption({ label: "e2e-tiny" });
    await page.getByTestId("run-probing").click();
    await page.getByTestId("probing-grid-vision").waitFor({ timeout: 120_000 });
    await page.getByTestId("probing-grid-text").waitFor({ timeout: 10_000 });

    const rows = await s.api.prisma.probeResult.findMany({ where: { modelId: s.atlas.modelId } });
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
