// The head decomposition on an attention head's unit page in Chromium, over a real tiny atlas: a HEAD_DECOMPOSITION
// job (real ONNX inference) decomposes the vision heads, and the page shows the head's share of the image
// embedding, its TextSpan texts with explained variance and the mean-ablation table. Screenshot: unit-head-textspan.
// On the model page an admin starts the job with "Decompose heads" and sees the heads ranked by share.
import { createHeadDecompositionJob, executeJob } from "@mmatlas/builder";
import { signUp, signedInContext } from "../src/people";
import { saveScreenshot } from "../src/screenshot";
import { useTinyAtlasSuite } from "../src/tiny-atlas-suite";

jest.setTimeout(300_000);

describe("head decomposition page", () => {
  const s = useTinyAtlasSuite("web-heads");

  test("a head page says 'not computed' before the job, and shows share, texts and ablation after it", async () => {
    const head = await s.api.prisma.unit.findFirstOrThrow({
      where: { modelId: s.atlas.modelId, kind: "ATTENTION_HEAD", hookPoint: { tower: "VISION" } },
      orderBy: { index: "asc" },
    });
    const context = await signedInContext(s.browser, s.contexts, null, { width: 1280, height: 900 });
    const page = await context.newPage();
    await page.goto(`${s.web.url}/units/${encodeURIComponent(head.slug)}`);
    await page.getByTestId("head-decomposition-pending").waitFor({ timeout: 30_000 });

    const dataset = await s.api.prisma.dataset.findUniqueOrThrow({ where: { name: "e2e-tiny" } });
    const job = await createHeadDecompositionJob(s.api.prisma, { modelId: s.atlas.modelId, datasetId: dataset.id });
    const done = await executeJob(s.api.prisma, job.id);
    expect(done.status).toBe("SUCCEEDED");
    const row = await s.api.prisma.headDecomposition.findUniqueOrThrow({ where: { unitId: head.id } });

    await page.reload();
    await page.getByTestId("head-share").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("head-share").textContent()).toContain(`${(row.share * 100).toFixed(1)}\u00a0%`);
    const texts = row.texts as { text: string }[];
    expect(await page.getByTestId("head-text").count()).toBe(texts.length);
    expect(await page.getByTestId("head-text").first().textContent()).toContain(texts[0].text);
    const tasks = (row.ablation as { task: string }[]).map((a) => a.task);
    expect(tasks.length).toBeGreaterThan(0);
    expect(await page.getByTestId("head-ablation-row").count()).toBe(tasks.length);
    await saveScreenshot(page, "unit-head-textspan");
  });

  test("an admin decomposes the heads from the model page and sees them ranked by share", async () => {
    await s.api.prisma.headDecomposition.deleteMany({ where: { unit: { modelId: s.atlas.modelId } } });
    const admin = await signUp(s.api.prisma, { email: "heads-admin@example.org", displayName: "Admin" });
    const context = await signedInContext(s.browser, s.contexts, admin.secret, { width: 1280, height: 1400 });
    const page = await context.newPage();
    await page.goto(`${s.web.url}/models/${encodeURIComponent(s.atlas.modelName)}`);
    await page.getByTestId("head-ranking-none").waitFor({ timeout: 60_000 });
    await page.getByTestId("head-ranking-dataset").selectOption({ label: "e2e-tiny" });
    await page.getByTestId("run-head-decomposition").click();
    await page.getByTestId("head-ranking-table").waitFor({ timeout: 120_000 });

    const rows = await s.api.prisma.headDecomposition.findMany({
      where: { unit: { modelId: s.atlas.modelId } },
      orderBy: { share: "desc" },
      include: { unit: true },
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(await page.getByTestId("head-ranking-row").count()).toBe(Math.min(rows.length, 12));
    const first = page.getByTestId("head-ranking-row").first();
    expect(await first.textContent()).toContain(`${(rows[0].share * 100).toFixed(1)} %`);
    expect(await first.locator("a").getAttribute("href")).toBe(`/units/${encodeURIComponent(rows[0].unitId)}`);
  });
});
