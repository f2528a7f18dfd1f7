// Labels are data, never markup: annotations whose labels hold HTML with an onerror handler and an SQL
// injection attempt are stored verbatim and shown as text on the unit page in Chromium; no script runs,
// no <img> is created, and the Unit table is intact.
import { registerUser, login, authenticateSession } from "@mmatlas/auth";
import { registerModelFromManifest } from "@mmatlas/catalog";
import { createAnnotation } from "@mmatlas/labeling";
import type { Browser } from "playwright-core";
import { startTestApi, type TestApi } from "../src/api-server";
import { launchBrowser } from "../src/browser";
import { closeAll } from "../src/people";
import { BUILTIN_MANIFEST } from "../src/paths";
import { saveScreenshot } from "../src/screenshot";
import { startWebServer, type WebServer } from "../src/web-server";

const HTML_LABEL = `<img src=x onerror=window.__xss=1>`;
const SQL_LABEL = `'); DROP TABLE "Unit";--`;

describe("labels with HTML and SQL", () => {
  let api: TestApi;
  let web: WebServer;
  let browser: Browser;
  const unitIds: string[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    web = await startWebServer({ apiUrl: api.graphqlUrl, logName: "web-label-xss" });
    browser = await launchBrowser();
    const { model } = await registerModelFromManifest(api.prisma, BUILTIN_MANIFEST);
    const hook = await api.prisma.hookPoint.findFirstOrThrow({
      where: { modelId: model.id, kind: "MLP" },
      orderBy: { name: "asc" },
    });
    for (const index of [0, 1]) {
      const unit = await api.prisma.unit.create({
        data: {
          slug: `${model.name}/${hook.name}/neurons/xss-${index}`,
          modelId: model.id,
          hookPointId: hook.id,
          kind: "NEURON",
          index: 10_000 + index,
        },
      });
      unitIds.push(unit.id);
    }
    await registerUser(api.prisma, {
      email: "mallory@example.org",
      password: "long-enough-pw",
      displayName: "<b>Mallory</b>",
    });
    const { secret } = await login(api.prisma, { email: "mallory@example.org", password: "long-enough-pw" });
    const actor = await authenticateSession(api.prisma, secret);
    await createAnnotation(api.prisma, actor, { unitId: unitIds[0], label: HTML_LABEL, status: "PROPOSED" });
    await createAnnotation(api.prisma, actor, { unitId: unitIds[1], label: SQL_LABEL, status: "PROPOSED" });
  });

  afterAll(() => closeAll({ browser, web, api }));

  test.each([
    [0, HTML_LABEL],
    [1, SQL_LABEL],
  ])("unit %i shows its label as text and runs nothing", async (i, label) => {
    const stored = await api.prisma.unit.findUniqueOrThrow({ where: { id: unitIds[i] } });
    expect(stored.currentLabel).toBe(label); // stored verbatim
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${web.url}/units/${encodeURIComponent(unitIds[i])}`);
    const shown = page.locator(".unit-label");
    await shown
      .filter({ hasText: label })
      .waitFor({ timeout: 60_000 })
      .catch(async (e: unknown) => {
        await saveScreenshot(page, `label-xss-failed-${i}`);
        throw new Error(
          `label not shown: ${String(e)}\npage text: ${(await page.locator("body").innerText()).slice(0, 600)}`,
        );
      });
    expect(await shown.textContent()).toContain(label);
    await page.waitForTimeout(500); // give an injected onerror handler time to fire
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    if (i === 0) await saveScreenshot(page, "label-xss");
    await page.close();
    expect(await api.prisma.unit.count()).toBeGreaterThanOrEqual(2); // the table survived
  });
});
