// Live co-labeling in Chromium: two signed-in annotators (two browser contexts) edit the same unit's label
// and description at once and converge; presence shows both; the text survives an API restart; a VIEWER
// (and an anonymous visitor) gets a read-only editor marked "Read-only", and the server drops writes sent
// with a viewer's session.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { registerModelFromManifest } from "@mmatlas/catalog";
import { annotationFields, applyTextDiff, readSnapshot } from "@mmatlas/collab/doc";
import type { Role } from "@mmatlas/db";
import type { Browser, BrowserContext, Page } from "playwright-core";
import WebSocket from "ws";
import * as Y from "yjs";
import { startTestApi, type TestApi } from "../src/api-server";
import { launchBrowser } from "../src/browser";
import { closeAll, signedInContext, signUp } from "../src/people";
import { BUILTIN_MANIFEST } from "../src/paths";
import { saveScreenshot } from "../src/screenshot";
import { startWebServer, type WebServer } from "../src/web-server";

const sorted = (s: string) => [...s].sort().join("");

/** Reads `read()` until `check` holds or the time is up; returns the last value (assert on it). */
async function eventually<T>(read: () => T | Promise<T>, check: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  let v = await read();
  while (!check(v) && Date.now() - start < timeoutMs) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

describe("real-time co-labeling", () => {
  let api: TestApi;
  let web: WebServer;
  let browser: Browser;
  let unitId: string;
  const tokens: Record<string, string> = {};
  const contexts: BrowserContext[] = [];

  const person = async (email: string, displayName: string, role?: Role) =>
    (await signUp(api.prisma, { email, displayName, role, adminSecret: tokens.admin })).secret;

  /** A browser context signed in as `who` (null: anonymous), on the unit page once its document is loaded. */
  async function openUnitAs(who: string | null): Promise<Page> {
    const context = await signedInContext(browser, contexts, who ? tokens[who] : null, { width: 1100, height: 900 });
    const page = await context.newPage();
    await page.goto(`${web.url}/units/${encodeURIComponent(unitId)}`);
    // editors end on "saved", visitors who cannot edit on "readonly"
    await page
      .locator(".annotation-panel[data-save-state='saved'], .annotation-panel[data-save-state='readonly']")
      .waitFor({ timeout: 60_000 });
    return page;
  }

  const field = (page: Page, name: "label" | "description") => page.locator(`[data-field="${name}"]`);

  beforeAll(async () => {
    api = await startTestApi();
    // fixture: one neuron of the built-in model (the atlas builder makes the real ones)
    const { model } = await registerModelFromManifest(api.prisma, BUILTIN_MANIFEST);
    const hook = await api.prisma.hookPoint.findFirstOrThrow({
      where: { modelId: model.id },
      orderBy: { layer: "asc" },
    });
    unitId = (
      await api.prisma.unit.create({
        data: {
          slug: `${model.name}/${hook.name}/neuron/7`,
          modelId: model.id,
          hookPointId: hook.id,
          kind: "NEURON",
          index: 7,
        },
      })
    ).id;
    tokens.admin = await person("admin@example.org", "Admin");
    tokens.alice = await person("alice@example.org", "Alice Anders");
    tokens.bob = await person("bob@example.org", "Bob Brown");
    tokens.viewer = await person("viewer@example.org", "Vera Viewer", "VIEWER");
    web = await startWebServer({ apiUrl: api.graphqlUrl, logName: "web-collab" });
    browser = await launchBrowser();
  });

  afterAll(() => closeAll({ contexts, browser, web, api }));

  test("two users type at once, converge, see each other, and the text survives an API restart", async () => {
    const alice = await openUnitAs("alice");
    const bob = await openUnitAs("bob");
    expect(await field(alice, "label").getAttribute("readonly")).toBeNull();
    // presence: both avatars on both pages
    for (const page of [alice, bob]) {
      await page.locator(".presence-avatar[data-user='Alice Anders']").waitFor();
      await page.locator(".presence-avatar[data-user='Bob Brown']").waitFor();
    }

    // the same field at the same time
    await field(alice, "label").click();
    await field(bob, "label").click();
    await Promise.all([
      field(alice, "label").pressSequentially("zebra", { delay: 40 }),
      field(bob, "label").pressSequentially("stripes", { delay: 40 }),
    ]);
    const both = () => Promise.all([field(alice, "label").inputValue(), field(bob, "label").inputValue()]);
    const [labelA, labelB] = await eventually(both, ([a, b]) => a === b && a.length === "zebrastripes".length);
    expect(labelB).toBe(labelA);
    const label = await field(alice, "label").inputValue();
    expect(sorted(label)).toBe(sorted("zebrastripes"));

    // different places of the description at the same time: carets stay with their text
    await field(alice, "description").click();
    await field(alice, "description").pressSequentially("Black and white stripes.", { delay: 10 });
    expect(
      await eventually(
        () => field(bob, "description").inputValue(),
        (v) => v === "Black and white stripes.",
      ),
    ).toBe("Black and white stripes.");
    await field(alice, "description").press("End");
    await field(bob, "description").click();
    await field(bob, "description").press("Control+Home");
    // bob's caret is shown in alice's description while he edits it
    await alice.locator(".collab-caret[data-user='Bob Brown']").waitFor({ timeout: 20_000 });
    await Promise.all([
      field(alice, "description").pressSequentially(" Also zebras.", { delay: 40 }),
      field(bob, "description").pressSequentially("Texture: ", { delay: 40 }),
    ]);
    const expected = "Texture: Black and white stripes. Also zebras.";
    expect(
      await eventually(
        () => field(alice, "description").inputValue(),
        (v) => v === expected,
        20_000,
      ),
    ).toBe(expected);
    expect(
      await eventually(
        () => field(bob, "description").inputValue(),
        (v) => v === expected,
        20_000,
      ),
    ).toBe(expected);

    // tags and status from one side reach the other
    await alice.getByLabel("add tag").fill("texture");
    await alice.getByLabel("add tag").press("Enter");
    await bob.locator(".tag-chip", { hasText: "texture" }).waitFor({ timeout: 20_000 });
    await bob.getByLabel("status").selectOption("PROPOSED");
    expect(
      await eventually(
        () => alice.getByLabel("status").inputValue(),
        (v) => v === "PROPOSED",
        20_000,
      ),
    ).toBe("PROPOSED");

    for (const page of [alice, bob])
      await page.locator(".annotation-panel[data-save-state='saved']").waitFor({ timeout: 30_000 });
    await saveScreenshot(alice, "collab-alice");
    await saveScreenshot(bob, "collab-bob");

    // GraphQL readers see the same content (projection into the Annotation row)
    expect(
      await eventually(
        async () => (await api.prisma.annotation.findFirst({ where: { unitId } }))?.description,
        (v) => v === expected,
        20_000,
      ),
    ).toBe(expected);
    const row = await api.prisma.annotation.findFirstOrThrow({ where: { unitId } });
    expect(row).toMatchObject({ label, tags: ["texture"], status: "PROPOSED" });
    await alice.locator(".vote-row", { hasText: label }).waitFor({ timeout: 20_000 }); // live via annotationChanged

    // votes and comments reach the other page live (GraphQL subscription), without reloading
    await bob.locator(".vote-row", { hasText: label }).waitFor({ timeout: 20_000 });
    await alice.getByRole("button", { name: `upvote ${label}` }).click();
    expect(
      await eventually(
        () => bob.getByTestId("vote-score").first().textContent(),
        (v) => v === "1",
      ),
    ).toBe("1");
    await bob.getByLabel("new comment").fill("Agree, but check the zebra crossings too.");
    await bob.getByRole("button", { name: "Comment" }).click();
    await alice.locator(".comment", { hasText: "zebra crossings" }).waitFor({ timeout: 20_000 });

    // restart the API: everything the pages were told was saved is still there
    await api.restart();
    const carol = await openUnitAs("bob");
    expect(await field(carol, "label").inputValue()).toBe(label);
    expect(await field(carol, "description").inputValue()).toBe(expected);
    // the open pages reconnect by themselves and keep working
    await field(alice, "label").press("End");
    await field(alice, "label").pressSequentially("!", { delay: 20 });
    expect(
      await eventually(
        () => field(carol, "label").inputValue(),
        (v) => v === `${label}!`,
        30_000,
      ),
    ).toBe(`${label}!`);
    await saveScreenshot(carol, "collab-after-restart");
  });

  test("a VIEWER's editor is read-only and the server drops their writes", async () => {
    const viewer = await openUnitAs("viewer");
    await viewer.getByTestId("readonly-note").waitFor();
    // a visitor who cannot edit is told so, never "All changes saved"
    expect(await viewer.getByTestId("save-state").textContent()).toBe("Read-only");
    const anonymous = await openUnitAs(null);
    expect(await anonymous.getByTestId("save-state").textContent()).toBe("Read-only");
    expect(await anonymous.getByTestId("readonly-note").textContent()).toBe(
      "Read-only: sign in as an annotator to edit.",
    );
    expect(await field(viewer, "label").getAttribute("readonly")).not.toBeNull();
    const before = await field(viewer, "label").inputValue();
    await field(viewer, "label").click();
    await viewer.keyboard.type("viewer was here");
    expect(await field(viewer, "label").inputValue()).toBe(before);
    await saveScreenshot(viewer, "collab-viewer");

    // bypass the UI: a client with the viewer's session writes straight to the document
    const collabUrl = api.graphqlUrl.replace(/^http/, "ws").replace(/\/graphql$/, "/collab");
    const doc = new Y.Doc();
    const socket = new HocuspocusProviderWebsocket({ url: collabUrl, WebSocketPolyfill: WebSocket });
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name: unitId,
      document: doc,
      token: tokens.viewer,
    });
    provider.attach();
    try {
      expect(
        await eventually(
          () => provider.isSynced && provider.authorizedScope,
          (v) => v === "readonly",
          20_000,
        ),
      ).toBe("readonly");
      expect(readSnapshot(doc).label).toBe(before);
      applyTextDiff(annotationFields(doc).label, "VANDALIZED");
      await new Promise((r) => setTimeout(r, 1500));
      expect(await field(viewer, "label").inputValue()).toBe(before);
      const alice = await openUnitAs("alice");
      expect(await field(alice, "label").inputValue()).toBe(before);
      expect((await api.prisma.annotation.findFirstOrThrow({ where: { unitId } })).label).not.toContain("VANDALIZED");
    } finally {
      provider.destroy();
      socket.destroy();
    }
  });
});
