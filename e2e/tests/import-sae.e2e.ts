// An SAE written by this test (a SAELens folder as an outside training tool lays it out, BF16 JumpReLU) goes the
// whole way a new user takes: imported over GraphQL by an admin from the import inbox, shown on the model page as
// "not built yet" (no Build button for a visitor), built from the page's Build button with live progress, then
// browsed: its units listed and one unit page opened in Chromium. The build queues the label scoring of the new
// features by itself: the model page follows that job to its end and the unit page shows the scores.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ingestShapesDataset } from "@mmatlas/builder";
import { registerModelFromManifest } from "@mmatlas/catalog";
import type { Browser, BrowserContext } from "playwright-core";
import { writeSaeLensFolder } from "../../libs/porting/test/fixtures/saelens-folder";
import { startTestApi, type TestApi } from "../src/api-server";
import { postGraphql } from "../src/graphql-post";
import { useImportEnv } from "../src/import-env";
import { launchBrowser } from "../src/browser";
import { BUILTIN_MANIFEST } from "../src/paths";
import { closeAll, signedInContext, signUp } from "../src/people";
import { saveScreenshot } from "../src/screenshot";
import { startWebServer, type WebServer } from "../src/web-server";

jest.setTimeout(300_000);

describe("import an SAE, build it, browse it", () => {
  let api: TestApi;
  let web: WebServer;
  let browser: Browser;
  let admin: string;
  let modelId: string;
  let datasetId: string;
  const contexts: BrowserContext[] = [];
  const tmp = mkdtempSync(path.join(tmpdir(), "e2e-import-"));
  let restoreEnv = () => {};

  beforeAll(async () => {
    restoreEnv = useImportEnv(path.join(tmp, "inbox"), path.join(tmp, "data"));
    api = await startTestApi();
    modelId = (await registerModelFromManifest(api.prisma, BUILTIN_MANIFEST)).model.id;
    datasetId = (await ingestShapesDataset(api.prisma, { name: "e2e-import", seed: 11, images: 48, texts: 16 })).id;
    // held-out examples of the label scoring after the build (`<dataset>-scoring`: the probe set covers e2e-import)
    await ingestShapesDataset(api.prisma, { name: "e2e-import-scoring", seed: 12, images: 64, texts: 8 });
    admin = (await signUp(api.prisma, { email: "admin@example.org", displayName: "Ada Admin" })).secret; // first user: ADMIN
    writeSaeLensFolder(path.join(tmp, "inbox", "outside-sae"), {
      dIn: 64,
      dSae: 24,
      architecture: "jumprelu",
      dtype: "BF16",
      hookName: "vision.blocks.1.hook_resid_post",
      seed: 21,
    });
    web = await startWebServer({ apiUrl: api.graphqlUrl, logName: "web-import" });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await closeAll({ contexts, browser, web, api });
    restoreEnv();
    rmSync(tmp, { recursive: true, force: true });
  });

  test("import over GraphQL → 'not built yet' → Build on the model page → its units and a unit page", async () => {
    const { body } = await postGraphql<{ importSae: { dictionary: unknown } }>(
      api.graphqlUrl,
      `mutation { importSae(input: { folder: "outside-sae", model: "clip-shapes" }) { dictionary { name architecture dSae } } }`,
      { token: admin },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.importSae.dictionary).toEqual({ name: "outside-sae", architecture: "JUMPRELU", dSae: 24 });

    // a visitor sees the SAE as not built, with no Build button
    const visitor = await (await signedInContext(browser, contexts, null, { width: 1280, height: 900 })).newPage();
    await visitor.goto(`${web.url}/models/${modelId}`);
    const visitorRow = visitor.locator('[data-testid="sae-row"][data-sae="outside-sae"]');
    await visitorRow.waitFor({ timeout: 30_000 });
    expect(await visitorRow.getAttribute("data-status")).toBe("NOT_BUILT");
    expect(await visitorRow.textContent()).toMatch(/not built yet/i);
    expect(await visitorRow.getByTestId("sae-build").count()).toBe(0);

    // the admin builds it from the page and follows the progress
    const page = await (await signedInContext(browser, contexts, admin, { width: 1280, height: 900 })).newPage();
    await page.goto(`${web.url}/models/${modelId}`);
    const row = page.locator('[data-testid="sae-row"][data-sae="outside-sae"]');
    await row.getByTestId("sae-build").waitFor({ timeout: 30_000 });
    await page.getByTestId("build-dataset").selectOption(datasetId);
    await row.getByTestId("sae-build").click();
    await page
      .locator('[data-testid="sae-row"][data-sae="outside-sae"][data-status="BUILT"]')
      .waitFor({ timeout: 240_000 });
    await saveScreenshot(page, "import-sae-built");
    const units = await api.prisma.unit.count({ where: { dictionary: { name: "outside-sae" } } });
    expect(units).toBe(24);
    expect(await row.getByTestId("sae-units").textContent()).toContain("24");

    // the succeeded build queued the label scoring of its features: the page follows that job to its end
    await page.locator('[data-testid="label-scoring-ended"][data-status="SUCCEEDED"]').waitFor({ timeout: 240_000 });
    const scoring = await api.prisma.job.findFirstOrThrow({ where: { kind: "SCORE_LABELS" } });
    expect(scoring.status).toBe("SUCCEEDED");
    expect(await page.getByTestId("label-scoring-ended").getAttribute("data-job-id")).toBe(scoring.id);
    expect(await page.getByTestId("label-scoring-ended").textContent()).toMatch(/^Labels scored: \d+ label scores for/);
    expect(await page.getByTestId("score-labels").isEnabled()).toBe(true);
    const scored = await api.prisma.unit.findFirstOrThrow({
      where: { dictionary: { name: "outside-sae" }, bestLabelScore: { not: null } },
      orderBy: { bestLabelScore: "desc" },
    });
    await saveScreenshot(page, "import-sae-scored");

    // browse its units and open one
    // follow the "Browse units" link in a fresh page load (the filtered atlas view it names is what a shared link opens)
    const href = await row.getByTestId("sae-browse").getAttribute("href");
    expect(href).toMatch(/dict=.*kind=SAE_FEATURE/);
    await page.goto(new URL(href!, page.url()).toString());
    // the list re-renders while the filter applies: wait until it shows exactly this SAE's 24 units
    const rows = page.getByTestId("unit-row");
    for (let i = 0; i < 300 && (await rows.count()) !== 24; i++) await page.waitForTimeout(100);
    if ((await rows.count()) !== 24) await saveScreenshot(page, "import-sae-browse-failed");
    expect(await rows.count()).toBe(24);
    expect((await rows.allTextContents()).every((t) => t.includes("vision.blocks.1.hook_resid_post"))).toBe(true);
    await rows.first().locator("a").first().click();
    await page.waitForURL(/\/units\//, { timeout: 30_000 });
    await page
      .getByText(/outside-sae/)
      .first()
      .waitFor({ timeout: 30_000 });
    await saveScreenshot(page, "import-sae-unit");

    // a scored feature's page shows its labels' scores and its best label by score
    await page.goto(`${web.url}/units/${encodeURIComponent(scored.id)}`);
    await page.getByTestId("best-label").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("best-label").textContent()).toContain(
      `(detection AUROC ${scored.bestLabelScore!.toFixed(2)})`,
    );
    expect(await page.locator('td[data-testid="label-score"]').count()).toBeGreaterThan(0);
    await saveScreenshot(page, "import-sae-unit-scored");
  });
});
