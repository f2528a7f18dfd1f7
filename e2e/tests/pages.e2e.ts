// The researcher-facing pages in Chromium over a real tiny atlas (built by libs/builder with ONNX inference):
// atlas home → model browser (hook points, progress, filters, search), unit pages (heatmaps, histogram,
// auto-labels, causal chart, head patterns, token highlights), sign-up / sign-in / API tokens, the labeling
// queue driven by the keyboard (3 units in a row + a skip), review with agreement, and the live probe with
// an uploaded generated image. Screenshots of each page go to artifacts/e2e.
import { authenticateSession } from "@mmatlas/auth";
import type { Role } from "@mmatlas/db";
import { createAnnotation } from "@mmatlas/labeling";
import { encodePng, generateExample } from "@mmatlas/model-zoo";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestApi, type TestApi } from "../src/api-server";
import { launchBrowser } from "../src/browser";
import { postGraphql } from "../src/graphql-post";
import { closeAll, signedInContext, signUp } from "../src/people";
import { saveScreenshot } from "../src/screenshot";
import { buildTinyAtlas, type TinyAtlas } from "../src/tiny-atlas";
import { startWebServer, type WebServer } from "../src/web-server";

jest.setTimeout(300_000);

describe("atlas pages", () => {
  let api: TestApi;
  let web: WebServer;
  let browser: Browser;
  let atlas: TinyAtlas;
  const tokens: Record<string, string> = {};
  const userIds: Record<string, string> = {};
  const contexts: BrowserContext[] = [];

  async function person(key: string, email: string, displayName: string, role?: Role) {
    ({ secret: tokens[key], userId: userIds[key] } = await signUp(api.prisma, {
      email,
      displayName,
      role,
      adminSecret: tokens.admin,
    }));
  }

  async function pageAs(who: string | null, path: string): Promise<Page> {
    const context = await signedInContext(browser, contexts, who ? tokens[who] : null, { width: 1280, height: 900 });
    const page = await context.newPage();
    await page.goto(`${web.url}${path}`);
    return page;
  }

  beforeAll(async () => {
    api = await startTestApi();
    atlas = await buildTinyAtlas(api.prisma);
    await person("admin", "admin@example.org", "Ada Admin");
    await person("ann", "ann@example.org", "Ann Notator", "ANNOTATOR");
    await person("ben", "ben@example.org", "Ben Notator", "ANNOTATOR");
    await person("rev", "rev@example.org", "Rita Reviewer", "REVIEWER");
    web = await startWebServer({ apiUrl: api.graphqlUrl, logName: "web-pages" });
    browser = await launchBrowser();
  });

  afterAll(() => closeAll({ contexts, browser, web, api }));

  test("atlas home → model browser: hook points, unit counts, filters and search over real units", async () => {
    expect(atlas.units).toBeGreaterThan(10);
    const page = await pageAs(null, "/");
    await page.getByTestId("model-card-progress").filter({ hasText: "0.0% labeled" }).waitFor({ timeout: 30_000 });
    await saveScreenshot(page, "atlas-home");
    await page.getByTestId("browse-atlas").first().click();
    await page.waitForURL(/\/models\//);
    await page.getByTestId("unit-set").first().waitFor({ timeout: 30_000 });
    const setsInDb = await api.prisma.unit.groupBy({
      by: ["hookPointId", "dictionaryId", "kind"],
      where: { modelId: atlas.modelId },
    });
    expect(await page.getByTestId("unit-set").count()).toBe(setsInDb.length);
    await page
      .getByTestId("unit-total")
      .filter({ hasText: `${atlas.units} units` })
      .waitFor();
    await page.getByTestId("unit-row").first().waitFor();
    await saveScreenshot(page, "atlas-model");

    // filter: attention heads only
    await page.getByLabel("kind").selectOption("ATTENTION_HEAD");
    const heads = await api.prisma.unit.count({ where: { modelId: atlas.modelId, kind: "ATTENTION_HEAD" } });
    await page
      .getByTestId("unit-total")
      .filter({ hasText: new RegExp(`^${heads} units?$`) })
      .waitFor();
    expect(page.url()).toContain("kind=ATTENTION_HEAD");
    await page.getByLabel("kind").selectOption("");

    // search by auto-label text: every row shown matches, and the count is the database's
    const labeled = await api.prisma.unit.findFirstOrThrow({
      where: { modelId: atlas.modelId, topAutoLabel: { not: null } },
    });
    const term = labeled.topAutoLabel!;
    await page.getByLabel("search labels").fill(term);
    // label search matches word starts (libs/catalog label-search.ts): read every label of the model the same way
    const words = (s: string | null) =>
      ` ${(s ?? "")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, " ")
        .trim()}`;
    const candidates = await api.prisma.unit.findMany({
      where: { modelId: atlas.modelId },
      select: {
        currentLabel: true,
        topAutoLabel: true,
        annotations: { where: { status: { in: ["PROPOSED", "ACCEPTED"] } }, select: { label: true } },
      },
    });
    const matching = candidates.filter((u) =>
      [u.currentLabel, u.topAutoLabel, ...u.annotations.map((a) => a.label)].some(
        (l) => l != null && words(l).includes(words(term)),
      ),
    ).length;
    await page
      .getByTestId("unit-total")
      .filter({ hasText: new RegExp(`^${matching} units?$`) })
      .waitFor({ timeout: 20_000 });
    const rows = await page.getByTestId("unit-row").allTextContents();
    expect(rows.length).toBe(Math.min(matching, 50));
    for (const r of rows) expect(words(r)).toContain(words(term));
  });

  test("unit pages show the stored evidence: heatmaps, histogram, auto-labels, causal effects, head patterns, token highlights", async () => {
    const neuron = await api.prisma.unit.findFirstOrThrow({
      where: {
        modelId: atlas.modelId,
        kind: "NEURON",
        hookPoint: { tower: "VISION", kind: "MLP" },
        topActivations: { some: {} },
      },
      orderBy: { maxActivation: "desc" },
      include: { topActivations: { where: { band: "TOP" } } },
    });
    const page = await pageAs(null, `/units/${neuron.id}`);
    await page
      .getByTestId("unit-title")
      .filter({ hasText: `#${neuron.index}` })
      .waitFor({ timeout: 30_000 });
    const top = page.getByTestId("top-activations").getByTestId("example");
    await top.first().waitFor();
    expect(await top.count()).toBe(Math.min(16, neuron.topActivations.length));
    const patchGrids = page.getByTestId("top-activations").getByTestId("patch-heatmap");
    expect(await patchGrids.count()).toBe(
      Math.min(16, neuron.topActivations.filter((t) => t.values.length > 0).length),
    );
    await page.locator("[data-testid=activation-histogram] .recharts-bar-rectangle").first().waitFor();
    const autoLabels = (neuron.autoLabels as unknown[] | null) ?? [];
    if (autoLabels.length)
      expect(await page.getByTestId("auto-labels").locator("tbody tr").count()).toBe(autoLabels.length);
    await page.getByTestId("probe-link").waitFor();
    await page.locator(".annotation-panel").waitFor();
    await saveScreenshot(page, "unit-neuron");

    const causalUnit = (
      await api.prisma.unit.findMany({ where: { modelId: atlas.modelId, kind: { not: "ATTENTION_HEAD" } } })
    ).find((u) => (u.stats as { causal?: unknown } | null)?.causal);
    expect(causalUnit).toBeDefined();
    await page.goto(`${web.url}/units/${causalUnit!.id}`);
    await page.locator("[data-testid=causal-chart] .recharts-bar-rectangle").first().waitFor({ timeout: 30_000 });
    await saveScreenshot(page, "unit-causal");

    const head = await api.prisma.unit.findFirstOrThrow({ where: { modelId: atlas.modelId, kind: "ATTENTION_HEAD" } });
    await page.goto(`${web.url}/units/${encodeURIComponent(head.slug)}`);
    await page.getByTestId("attention-patterns").waitFor({ timeout: 30_000 });
    const patterns = ((head.stats as { examplePatterns?: unknown[] }).examplePatterns ?? []).length;
    expect(await page.locator(".pattern").count()).toBe(Math.min(12, patterns));
    await saveScreenshot(page, "unit-head");

    const textUnit = await api.prisma.unit.findFirstOrThrow({
      where: { modelId: atlas.modelId, hookPoint: { tower: "TEXT" }, topActivations: { some: {} } },
    });
    await page.goto(`${web.url}/units/${textUnit.id}`);
    await page.getByTestId("token-highlights").first().waitFor({ timeout: 30_000 });
    expect(await page.locator("[data-testid=top-activations] .token").count()).toBeGreaterThan(0);
    // the strongest example shows the model's tokens (its words, at most 7, then <eos>), one stored value each
    const strongest = await api.prisma.topActivation.findFirstOrThrow({
      where: { unitId: textUnit.id, band: "TOP", rank: 0 },
      include: { example: true },
    });
    const words = (strongest.example.text ?? "")
      .toLowerCase()
      .split(/[^\p{L}]+/u)
      .filter(Boolean)
      .slice(0, 7);
    const shown = await page
      .locator("[data-testid=top-activations] [data-testid=token-highlights]")
      .first()
      .locator(".token")
      .allTextContents();
    expect(shown).toEqual([...words, "<eos>"]);
    expect(strongest.values).toHaveLength(words.length + 1);
    await saveScreenshot(page, "unit-text");

    await page.goto(`${web.url}/units/does-not-exist`);
    await page.getByTestId("unit-error").filter({ hasText: "No such unit" }).waitFor({ timeout: 30_000 });
  });

  test("sign up, sign in, create / use / revoke an API token, sign out", async () => {
    const page = await pageAs(null, "/sign-up");
    await page.getByLabel("Display name").fill("Sam Signup");
    await page.getByLabel("Email").fill("sam@example.org");
    await page.getByLabel("Password").fill("a long password");
    await page.getByRole("button", { name: "Create an account" }).click();
    await page.getByTestId("current-user").filter({ hasText: "Sam Signup" }).waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => window.localStorage.getItem("mmatlas.session"))).toBeTruthy();

    await page.getByTestId("current-user").click();
    await page.getByTestId("token-form").waitFor();
    await page.getByLabel("Name").fill("notebook");
    await page.getByLabel("annotate").check();
    await page.getByLabel("expires").selectOption("30");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = (await page.getByTestId("new-token-secret").locator("code").textContent())!.trim();
    await page.getByTestId("token-row").filter({ hasText: "notebook" }).waitFor();
    const me = () => postGraphql<{ me: { email: string } }>(api.graphqlUrl, "{ me { email } }", { token: secret });
    expect((await me()).body.data?.me.email).toBe("sam@example.org");
    const stored = await api.prisma.apiToken.findFirstOrThrow({ where: { name: "notebook" } });
    expect(stored.scopes.sort()).toEqual(["ANNOTATE", "READ"]);
    expect(stored.expiresAt!.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    await saveScreenshot(page, "account");

    await page.getByTestId("token-row").filter({ hasText: "notebook" }).getByRole("button", { name: "Revoke" }).click();
    await page.locator("[data-testid=token-row][data-revoked=true]").waitFor();
    expect((await me()).status).toBe(401);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).first().waitFor();
    expect(await page.evaluate(() => window.localStorage.getItem("mmatlas.session"))).toBeNull();
    await page.goto(`${web.url}/sign-in?next=/account`);
    await page.getByLabel("Email").fill("sam@example.org");
    await page.getByLabel("Password").fill("a wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(".form-error").waitFor();
    await saveScreenshot(page, "sign-in-error");
    await page.getByLabel("Password").fill("a long password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/account$/);
    await page.getByTestId("current-user").filter({ hasText: "Sam Signup" }).waitFor();
  });

  test("labeling queue: label 3 units in a row with the keyboard, skip one with S", async () => {
    const page = await pageAs("ann", `/queue?model=${atlas.modelId}`);
    const current = () => page.getByTestId("queue-unit").getAttribute("data-unit-id");
    await page.getByTestId("queue-unit").waitFor({ timeout: 30_000 });
    const labeledIds: string[] = [];
    for (const label of ["red shapes", "blue circles", "text: the word square"]) {
      const id = (await current())!;
      // the label field has the focus (no click needed) and is empty for the new unit
      await page
        .waitForFunction(
          () => {
            const el = document.activeElement as HTMLInputElement | null;
            return el?.getAttribute("aria-label") === "label" && el.value === "";
          },
          undefined,
          { timeout: 10_000 },
        )
        .catch(async (e) => {
          console.log("active element:", await page.evaluate(() => document.activeElement?.outerHTML));
          throw e;
        });
      await page.keyboard.type(label);
      if (labeledIds.length === 0) await saveScreenshot(page, "queue");
      await page.keyboard.press("Enter");
      await page.waitForFunction(
        (prev) => document.querySelector("[data-testid=queue-unit]")?.getAttribute("data-unit-id") !== prev,
        id,
      );
      labeledIds.push(id);
    }
    await page.getByTestId("labeled-count").filter({ hasText: "3" }).waitFor({ timeout: 10_000 });
    const skipped = (await current())!;
    await page.keyboard.press("Escape");
    await page.keyboard.press("s");
    await page.waitForFunction(
      (prev) => document.querySelector("[data-testid=queue-unit]")?.getAttribute("data-unit-id") !== prev,
      skipped,
    );

    const mine = await api.prisma.annotation.findMany({
      where: { authorId: userIds.ann },
      orderBy: { createdAt: "asc" },
    });
    expect(mine.map((a) => [a.unitId, a.label, a.status])).toEqual([
      [labeledIds[0], "red shapes", "PROPOSED"],
      [labeledIds[1], "blue circles", "PROPOSED"],
      [labeledIds[2], "text: the word square", "PROPOSED"],
    ]);
    expect(new Set(labeledIds).size).toBe(3);
    expect(labeledIds).not.toContain(skipped);
    expect(await api.prisma.annotation.count({ where: { unitId: skipped } })).toBe(0);
    // unlabeled units come first: all three were unlabeled before
    const states = await api.prisma.unit.findMany({ where: { id: { in: labeledIds } }, select: { labelState: true } });
    expect(states.every((s) => s.labelState === "LABELED")).toBe(true);
  });

  test("review: agreement per unit and overall; a reviewer accepts a proposal, an annotator may not open review", async () => {
    const annLabels = await api.prisma.annotation.findMany({
      where: { authorId: userIds.ann },
      orderBy: { createdAt: "asc" },
    });
    const ben = await authenticateSession(api.prisma, tokens.ben);
    await createAnnotation(api.prisma, ben, { unitId: annLabels[0].unitId, label: "Red Shapes", status: "PROPOSED" });
    await createAnnotation(api.prisma, ben, { unitId: annLabels[1].unitId, label: "squares", status: "PROPOSED" });

    const denied = await pageAs("ann", "/review");
    await denied.getByTestId("role-required").waitFor({ timeout: 30_000 });

    const page = await pageAs("rev", "/review");
    await page.getByTestId("project-agreement").waitFor({ timeout: 30_000 });
    // 2 annotators; units: (red, red), (blue circles, squares), (text…) → α = 1 − (n−1)·D_o/D_e with n = 4
    // pairable values r, r, b, s: o_bs = o_sb = 1, n_r = 2, n_b = n_s = 1 → D_e sum = 2·(2 + 2 + 1) = 10 → α = 1 − 3·2/10 = 0.4
    await page.getByTestId("alpha").filter({ hasText: "0.400" }).waitFor();
    expect(await page.getByTestId("review-unit").count()).toBe(3);
    const agreeing = page.getByTestId("review-unit").filter({ hasText: "agreement 100%" });
    expect(await agreeing.count()).toBe(1);
    await saveScreenshot(page, "review");
    await agreeing.getByTestId("proposal").first().getByRole("button", { name: "Accept" }).click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=proposal]").length === 4);
    expect(await api.prisma.annotation.count({ where: { unitId: annLabels[0].unitId, status: "ACCEPTED" } })).toBe(1);
  });

  test("live probe: upload a generated image on a unit's probe page and see its heatmap and the layer's top units", async () => {
    const neuron = await api.prisma.unit.findFirstOrThrow({
      where: { modelId: atlas.modelId, kind: "NEURON", hookPoint: { tower: "VISION", kind: "MLP" } },
    });
    const page = await pageAs(null, `/units/${neuron.id}`);
    await page.getByTestId("probe-link").click();
    await page.waitForURL(/\/probe\?unit=/);
    const ex = generateExample(4242, 0);
    const png = encodePng(ex.pixels, ex.width, ex.height);
    // the page knows the API's limits, refuses an oversized file before sending it, and shows the API's
    // clean message for a corrupt image (not the decoder's text, not a raw 413)
    await page
      .getByTestId("probe-upload-hint")
      .filter({ hasText: "PNG or JPEG, up to 2 MiB and 4096 × 4096 pixels." })
      .waitFor();
    await page.getByLabel("image file").setInputFiles({
      name: "huge.png",
      mimeType: "image/png",
      buffer: Buffer.concat([png, Buffer.alloc(3 * 1024 * 1024)]),
    });
    await page
      .getByTestId("probe-error")
      .filter({ hasText: /^That image is 3\.\d MiB; the probe takes up to 2 MiB\.$/ })
      .waitFor();
    expect(await page.getByRole("button", { name: "Probe" }).isDisabled()).toBe(true);
    await page
      .getByLabel("image file")
      .setInputFiles({ name: "broken.png", mimeType: "image/png", buffer: png.subarray(0, png.length - 20) });
    await page.getByRole("button", { name: "Probe" }).click();
    await page
      .getByTestId("probe-error")
      .filter({ hasText: "the image could not be decoded (corrupt or truncated PNG)" })
      .waitFor();
    await page.getByLabel("image file").setInputFiles({ name: "probe.png", mimeType: "image/png", buffer: png });
    await page.getByRole("button", { name: "Probe" }).click();
    await page.getByTestId("probe-result").waitFor({ timeout: 60_000 });
    await page.getByTestId("probe-result").getByTestId("patch-heatmap").waitFor();
    expect(Number(await page.getByTestId("probe-unit-value").textContent())).not.toBeNaN();
    expect(await page.getByTestId("probe-top-units").locator("tbody tr").count()).toBe(10);
    await saveScreenshot(page, "probe");
  });
});
