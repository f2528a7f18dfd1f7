// A Hugging Face CLIP export (the project's tiny fixture laid out as Optimum writes it, with the real CLIP tokenizer
// files) goes the way a researcher's own model does: imported over GraphQL by an admin from the import inbox, built
// over GraphQL on captions and images, then browsed in Chromium. A text unit's page shades the model's own BPE
// tokens (<|startoftext|>, the caption's pieces, <|endoftext|>), one per stored value; an image unit's page lays
// its values out on the model's 4 × 4 patch grid. A half-precision export of it (dtype fp16) goes the same way,
// widened to float32, and the model list names its dtype.
import path from "node:path";
import { ingestShapesDataset } from "@mmatlas/builder";
import type { Browser, BrowserContext } from "playwright-core";
import { toFloat16Onnx } from "../../libs/porting/test/fixtures/float16-onnx";
import { hfClipWorkspace } from "../../libs/porting/test/fixtures/hf-clip-workspace";
import { startTestApi, type TestApi } from "../src/api-server";
import { postGraphql } from "../src/graphql-post";
import { useImportEnv } from "../src/import-env";
import { launchBrowser } from "../src/browser";
import { closeAll, signedInContext, signUp } from "../src/people";
import { saveScreenshot } from "../src/screenshot";
import { startWebServer, type WebServer } from "../src/web-server";

jest.setTimeout(300_000);

describe("import a Hugging Face CLIP export, build it, browse it", () => {
  const ws = hfClipWorkspace("e2e-hf-clip-");
  let restoreEnv = () => {};
  const contexts: BrowserContext[] = [];
  let api: TestApi;
  let web: WebServer;
  let browser: Browser;
  let admin: string;

  const gql = async (query: string, variables?: Record<string, unknown>) => {
    const { body } = await postGraphql(api.graphqlUrl, query, { variables, token: admin });
    expect(body.errors).toBeUndefined();
    return body.data!;
  };

  /** startAtlasBuild over GraphQL (k 5, batches of 8, no causal units), then waits for the job to succeed. */
  const buildOverGraphql = async (modelId: string, datasetId: string, hooks: string[]) => {
    const started = await gql(`mutation($i: StartAtlasBuildInput!) { startAtlasBuild(input: $i) { id } }`, {
      i: { modelId, datasetId, hooks, k: 5, batchSize: 8, probeSize: 32, causalUnits: 0 },
    });
    let job = { status: "QUEUED", error: null as string | null };
    for (let i = 0; i < 1200 && !["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 200));
      job = (await gql(`query($id: ID!) { job(id: $id) { status error } }`, { id: started.startAtlasBuild.id })).job;
    }
    expect(job).toEqual({ status: "SUCCEEDED", error: null });
  };

  beforeAll(async () => {
    restoreEnv = useImportEnv(ws.root, ws.dataDir);
    api = await startTestApi();
    admin = (await signUp(api.prisma, { email: "admin@example.org", displayName: "Ada Admin" })).secret; // first user: ADMIN
    ws.hfFolder("outside-clip");
    web = await startWebServer({ apiUrl: api.graphqlUrl, logName: "web-hf-clip" });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await closeAll({ contexts, browser, web, api });
    restoreEnv();
    ws.remove();
  });

  test("importModel → startAtlasBuild → a text unit shows BPE tokens, an image unit its patch grid", async () => {
    const imported = await gql(
      `mutation { importModel(input: { folder: "outside-clip", name: "outside-clip" }) { model { id modality } hookPoints } }`,
    );
    expect(imported.importModel.model.modality).toBe("IMAGE_TEXT");
    const dataset = await ingestShapesDataset(api.prisma, { name: "e2e-hf-clip", seed: 13, images: 24, texts: 24 });
    await buildOverGraphql(imported.importModel.model.id, dataset.id, [
      "text.blocks.1.mlp.hook_post",
      "vision.blocks.1.mlp.hook_post",
    ]);

    const unitOf = (hook: string) =>
      api.prisma.unit.findFirstOrThrow({
        where: { model: { name: "outside-clip" }, hookPoint: { name: hook }, topActivations: { some: {} } },
        orderBy: { index: "asc" },
      });
    const page = await (await signedInContext(browser, contexts, null, { width: 1280, height: 900 })).newPage();

    // the text unit: the strongest caption in the model's own tokens, one shaded token per stored value
    const textUnit = await unitOf("text.blocks.1.mlp.hook_post");
    const stored = await gql(
      `query($id: ID!) { unit(id: $id) { topActivations(limit: 1) { values tokens example { text } } } }`,
      { id: textUnit.id },
    );
    const strongest = stored.unit.topActivations[0] as {
      values: number[];
      tokens: string[];
      example: { text: string };
    };
    await page.goto(`${web.url}/units/${textUnit.id}`);
    const highlights = page.locator("[data-testid=top-activations] [data-testid=token-highlights]").first();
    await highlights.waitFor({ timeout: 30_000 });
    const shown = await highlights.locator(".token").allTextContents();
    expect(shown[0]).toBe("<|startoftext|>");
    expect(shown.at(-1)).toBe("<|endoftext|>");
    expect(shown.slice(1, -1).join("")).toBe(strongest.example.text.toLowerCase().replace(/\s+/g, ""));
    expect(shown).toEqual(strongest.tokens);
    expect(strongest.values).toHaveLength(shown.length);
    // each token's hover title is its stored value
    const titles = await highlights.locator(".token").evaluateAll((els) => els.map((el) => el.getAttribute("title")));
    expect(titles).toEqual(strongest.values.map((v) => v.toFixed(3)));
    await saveScreenshot(page, "hf-clip-text-unit");

    // the image unit: 32 px images, patch 8 → a 4 × 4 heatmap (values: CLS + 16 patches)
    const imageUnit = await unitOf("vision.blocks.1.mlp.hook_post");
    await page.goto(`${web.url}/units/${imageUnit.id}`);
    const heatmap = page.locator("[data-testid=top-activations] [data-testid=patch-heatmap]").first();
    await heatmap.waitFor({ timeout: 30_000 });
    expect(await heatmap.getAttribute("data-grid")).toBe("4");
    await saveScreenshot(page, "hf-clip-image-unit");
  });

  test("a half-precision export (dtype fp16) imports widened to float32, builds, gets text-alignment labels, and the model list names its dtype", async () => {
    ws.hfFolder("outside-clip-fp16", (d) => {
      for (const t of ["vision_model", "text_model"])
        toFloat16Onnx(path.join(d, "onnx", `${t}.onnx`), path.join(d, "onnx", `${t}_fp16.onnx`));
    });
    const imported = await gql(
      `mutation { importModel(input: { folder: "outside-clip-fp16", name: "outside-clip-fp16", dtype: "fp16" }) { model { id displayName } hookPoints notes } }`,
    );
    expect(imported.importModel.model.displayName).toMatch(/ \(fp16\)$/);
    expect(imported.importModel.notes).toEqual([
      expect.stringMatching(/^weights: vision 2\/2 layers/),
      expect.stringMatching(/^precision: float16 parts widened to float32/),
    ]);
    const dataset = await ingestShapesDataset(api.prisma, { name: "e2e-hf-fp16", seed: 17, images: 16, texts: 16 });
    await buildOverGraphql(imported.importModel.model.id, dataset.id, ["vision.blocks.1.mlp.hook_post"]);
    // the weights came out of the widened graph: units get text-alignment labels
    const units = await gql(
      `query($m: ID!) { units(first: 5, filter: { modelId: $m, hookName: "vision.blocks.1.mlp.hook_post" }) { edges { node { autoLabels { method } } } } }`,
      { m: imported.importModel.model.id },
    );
    for (const { node } of units.units.edges as { node: { autoLabels: { method: string }[] } }[])
      expect(node.autoLabels.map((l) => l.method)).toContain("text-alignment");
    const page = await (await signedInContext(browser, contexts, null, { width: 1280, height: 900 })).newPage();
    await page.goto(web.url);
    const card = page.locator("[data-testid=model-card]", { hasText: imported.importModel.model.displayName });
    await card.waitFor({ timeout: 30_000 });
    expect(await card.count()).toBe(1);
    await saveScreenshot(page, "hf-clip-fp16-model-list");
  });
});
