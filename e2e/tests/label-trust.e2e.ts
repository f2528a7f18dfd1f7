// Label scores and the trusted label in Chromium over a real tiny atlas whose labels are scored by the real
// SCORE_LABELS job: the queue in low-score-first order serves the unit whose best label scores lowest and shows
// each suggestion's score; the review page shows, per unit, the candidate labels with raters, votes and scores,
// the model's Krippendorff's α and the trusted label with its reason.
import { authenticateSession } from "@mmatlas/auth";
import { createScoreLabelsJob, executeJob } from "@mmatlas/builder";
import { castVote, createAnnotation, scopeLabelAgreement, trustedLabelOfUnit } from "@mmatlas/labeling";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestApi, type TestApi } from "../src/api-server";
import { launchBrowser } from "../src/browser";
import { closeAll, signedInContext, signUp } from "../src/people";
import { saveScreenshot } from "../src/screenshot";
import { buildTinyAtlas, type TinyAtlas } from "../src/tiny-atlas";
import { startWebServer, type WebServer } from "../src/web-server";

jest.setTimeout(300_000);

const auroc = (x: number | null) => `AUROC ${x == null ? "–" : x.toFixed(2)}`;

describe("label scores in the queue and the reviewer's trusted label", () => {
  let api: TestApi;
  let web: WebServer;
  let browser: Browser;
  let atlas: TinyAtlas;
  const contexts: BrowserContext[] = [];
  const secrets: Record<string, string> = {};

  async function openAs(who: string, path: string): Promise<Page> {
    const context = await signedInContext(browser, contexts, secrets[who], { width: 1280, height: 1000 });
    const page = await context.newPage();
    await page.goto(`${web.url}${path}`);
    return page;
  }

  beforeAll(async () => {
    api = await startTestApi();
    atlas = await buildTinyAtlas(api.prisma);
    const job = await createScoreLabelsJob(api.prisma, { modelId: atlas.modelId });
    const done = await executeJob(api.prisma, job.id);
    if (done.status !== "SUCCEEDED") throw new Error(`scoring ${done.status}: ${done.error ?? ""}`);
    secrets.admin = (await signUp(api.prisma, { email: "admin@example.org", displayName: "Admin" })).secret; // first user: ADMIN
    for (const name of ["alice", "bob", "carl"])
      secrets[name] = (
        await signUp(api.prisma, { email: `${name}@example.org`, displayName: name, adminSecret: secrets.admin })
      ).secret;
    web = await startWebServer({ apiUrl: api.graphqlUrl, logName: "web-label-trust" });
    browser = await launchBrowser();
  });

  afterAll(() => closeAll({ contexts, browser, web, api }));

  test("the queue in low-score-first order serves the lowest-scoring unit and shows its labels' scores", async () => {
    const expected = await api.prisma.unit.findFirstOrThrow({
      where: { modelId: atlas.modelId, labelState: "UNLABELED", bestLabelScore: { not: null } },
      orderBy: [{ bestLabelScore: "asc" }, { hookPointId: "asc" }, { index: "asc" }, { id: "asc" }],
      include: { labelScores: true },
    });
    const page = await openAs("alice", `/queue?model=${encodeURIComponent(atlas.modelId)}&order=low-score`);
    await page.locator(`[data-testid="queue-unit"][data-unit-id="${expected.id}"]`).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("queue-order").inputValue()).toBe("LOW_SCORE_FIRST");
    expect(await page.getByTestId("queue-best-label").textContent()).toBe(
      `best label so far: “${expected.bestScoredLabel}”, detection AUROC ${expected.bestLabelScore!.toFixed(2)}`,
    );
    const badges = page.locator(".queue__suggestions").getByTestId("label-score");
    expect(await badges.count()).toBeGreaterThan(0);
    const shown = await badges.allTextContents();
    const stored = expected.labelScores.map((s) => auroc(s.detectionAuroc));
    for (const text of shown) expect(stored).toContain(text);
    await saveScreenshot(page, "queue-low-score-first");

    // back to catalog order: the URL loses the parameter
    await page.getByTestId("queue-order").selectOption("CATALOG");
    await page.waitForURL((u) => !u.search.includes("order="));
  });

  test("the review page shows votes, α, scores and the trusted label of a unit side by side", async () => {
    const unit = await api.prisma.unit.findFirstOrThrow({
      where: { modelId: atlas.modelId, bestScoredLabel: { not: null } },
      orderBy: [{ bestLabelScore: "desc" }, { id: "asc" }],
    });
    const actor = (who: string) => authenticateSession(api.prisma, secrets[who]);
    const good = unit.bestScoredLabel!;
    const a = await createAnnotation(api.prisma, await actor("alice"), {
      unitId: unit.id,
      label: good,
      status: "PROPOSED",
    });
    await createAnnotation(api.prisma, await actor("bob"), {
      unitId: unit.id,
      label: good.toUpperCase(),
      status: "PROPOSED",
    });
    await createAnnotation(api.prisma, await actor("carl"), {
      unitId: unit.id,
      label: "something else entirely",
      status: "PROPOSED",
    });
    await castVote(api.prisma, await actor("admin"), a.id, 1);

    const alpha = (await scopeLabelAgreement(api.prisma, { modelId: atlas.modelId })).alpha;
    const autoLabels = ((unit.autoLabels ?? []) as { label: string; method: string | null }[]).map((l) => ({
      label: l.label,
      method: l.method ?? "unknown",
    }));
    const trusted = await trustedLabelOfUnit(api.prisma, unit.id, autoLabels, alpha);
    const goodCandidate = trusted.candidates.find(
      (c) =>
        c.labelKey ===
        good
          .toLowerCase()
          .replace(/[^\p{L}\p{N}]+/gu, " ")
          .trim(),
    )!;
    expect(goodCandidate).toMatchObject({ raters: 2, votes: 1 });

    const page = await openAs("admin", "/review");
    const card = page
      .getByTestId("review-unit")
      .filter({ has: page.locator(`a[href="/units/${encodeURIComponent(unit.id)}"]`) });
    await card.getByTestId("unit-trust").waitFor({ timeout: 60_000 });
    const trustedText = card.getByTestId("trusted-label");
    expect(await trustedText.getAttribute("data-source")).toBe(trusted.source);
    expect(await trustedText.textContent()).toContain(trusted.reason);
    if (trusted.label) expect(await trustedText.textContent()).toContain(`“${trusted.label}”`);
    expect(await card.getByTestId("unit-alpha").textContent()).toContain(
      `α ${alpha == null ? "undefined" : alpha.toFixed(3)} · 3 raters`,
    );
    expect(await card.getByTestId("candidate").count()).toBe(trusted.candidates.length);
    const row = card.locator(`[data-testid="candidate"][data-label-key="${goodCandidate.labelKey}"]`);
    expect(await row.getByTestId("candidate-votes").textContent()).toBe("+1");
    expect(await row.getByTestId("label-score").textContent()).toBe(goodCandidate.detectionAuroc!.toFixed(2));
    expect(await card.locator("abbr.review__legend").getAttribute("title")).toContain(
      "Trusted label, first rule that applies",
    );
    await saveScreenshot(page, "review-trusted-label");
  });

  test("the atlas browser sorts and filters units by best score; the annotation panel scores the typed label", async () => {
    const scored = await api.prisma.unit.findMany({
      where: { modelId: atlas.modelId, bestLabelScore: { gte: 0.5 } },
      orderBy: [{ bestLabelScore: "asc" }, { id: "asc" }],
    });
    expect(scored.length).toBeGreaterThan(1);
    const page = await openAs("alice", `/models/${encodeURIComponent(atlas.modelId)}?sort=best-asc&min=0.5`);
    await page
      .getByTestId("unit-total")
      .filter({ hasText: `${scored.length} unit` })
      .waitFor({ timeout: 60_000 });
    await page
      .getByTestId("best-score")
      .nth(scored.length - 1)
      .waitFor();
    const shown = (await page.getByTestId("best-score").allTextContents()).map(Number);
    expect(shown).toEqual(scored.map((u) => Number(u.bestLabelScore!.toFixed(2))));
    expect(await page.getByTestId("score-sort").inputValue()).toBe("best-asc");

    const unit = scored[scored.length - 1];
    const score = await api.prisma.labelScore.findFirstOrThrow({
      where: { unitId: unit.id, label: unit.bestScoredLabel! },
    });
    await page.goto(`${web.url}/units/${encodeURIComponent(unit.id)}`);
    await page.locator(".annotation-panel[data-save-state='saved']").waitFor({ timeout: 60_000 });
    await page.locator('[data-field="label"]').pressSequentially(unit.bestScoredLabel!.toUpperCase(), { delay: 20 });
    const badge = page.getByTestId("collab-label-score").getByTestId("label-score");
    await badge.filter({ hasText: auroc(score.detectionAuroc) }).waitFor({ timeout: 30_000 });
  });
});
