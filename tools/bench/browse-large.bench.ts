// `npx tsx --tsconfig tsconfig.base.json tools/bench/browse-large.bench.ts` — the ViT-B/32-geometry atlas
// (seed-large-atlas.ts, mmatlas_large, seeded if missing) in headless Chromium: the model page (time to the first
// unit rows, GraphQL requests and bytes fetched) and a vision neuron's unit page (time to its 7×7 heatmaps with
// every 224 px image decoded, bytes fetched), each in a fresh browser context, median and max of --runs.
// Needs a web build (tools/lib/web-build.mjs) and /usr/bin/chromium. Report: artifacts/bench/browse-large.json.
// --atlas built: the atlas `BENCH_LARGE_KEEP=1 npm run bench:large` really built (lib/built-atlas.ts, database
// mmatlas_large_built, never seeded here) and the first vision neuron with top activations; report browse-built.json.
//   options: --runs N (5) --database-url URL --atlas seeded|built (seeded)
import { parseArgs } from "node:util";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../../e2e/src/browser";
import { startWebServer } from "../../e2e/src/web-server";
import { startApiProcess } from "./lib/api-process";
import { printTable, writeReport, machineContext, type Row } from "./lib/report";
import { LARGE_MODEL, UNIT_PREFIX, largeAtlasDatabaseUrl, seedLargeAtlasDatabase } from "./seed-large-atlas";
import { builtAtlasDatabaseUrl, readBuiltAtlasAt } from "./lib/built-atlas";

interface Visit {
  ms: number;
  bytes: number;
  graphqlBytes: number;
  graphqlRequests: number;
  rows?: number;
  heatmaps?: number;
}

/** Opens `path` in a fresh context and waits for `ready`; bytes are response bodies + headers as Chromium counts them. */
async function visit(browser: Browser, url: string, ready: (page: Page) => Promise<number>): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const sizes: Promise<{ graphql: boolean; bytes: number }>[] = [];
  page.on("requestfinished", (r) =>
    sizes.push(
      r
        .sizes()
        .then((s) => ({ graphql: r.url().includes("/graphql"), bytes: s.responseBodySize + s.responseHeadersSize })),
    ),
  );
  const t = Date.now();
  await page.goto(url);
  const count = await ready(page);
  const ms = Date.now() - t;
  await page.waitForLoadState("networkidle");
  const all = await Promise.all(sizes);
  await context.close();
  const graphql = all.filter((s) => s.graphql);
  return {
    ms,
    bytes: all.reduce((n, s) => n + s.bytes, 0),
    graphqlBytes: graphql.reduce((n, s) => n + s.bytes, 0),
    graphqlRequests: graphql.length,
    rows: count,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "5" },
      "database-url": { type: "string" },
      atlas: { type: "string", default: "seeded" },
    },
  });
  const runs = Number(values.runs);
  if (values.atlas !== "seeded" && values.atlas !== "built")
    throw new Error(`--atlas must be seeded or built, not ${values.atlas}`);
  const builtAtlas = values.atlas === "built";
  const url = builtAtlas
    ? builtAtlasDatabaseUrl(values["database-url"])
    : await largeAtlasDatabaseUrl(values["database-url"]);
  const target = builtAtlas
    ? await readBuiltAtlasAt(url).then((b) => ({
        modelId: b.modelId,
        unitId: b.sampleVisionUnitId,
        units: b.units,
        topActivations: null as number | null,
      }))
    : await seedLargeAtlasDatabase(url, { reuse: true }).then((a) => ({
        modelId: LARGE_MODEL,
        unitId: `${UNIT_PREFIX}5`,
        units: a.units,
        topActivations: a.topActivations as number | null,
      }));
  const before = machineContext();
  const api = await startApiProcess(
    { DATABASE_URL: url, REDIS_URL: "", JOB_RUNNER: "none", RATE_LIMIT_PER_IP: "0", RATE_LIMIT_PER_TOKEN: "0" },
    { label: "api", quiet: true },
  );
  const web = await startWebServer({ apiUrl: api.url, logName: "web-browse-large" });
  const browser = await launchBrowser();
  try {
    const pages = {
      "model page": {
        path: `/models/${target.modelId}`,
        ready: async (page: Page) => {
          await page.getByTestId("unit-row").first().waitFor({ timeout: 60_000 });
          return page.getByTestId("unit-row").count();
        },
      },
      "unit page": {
        path: `/units/${target.unitId}`,
        ready: async (page: Page) => {
          await page.getByTestId("patch-heatmap").first().waitFor({ timeout: 60_000 });
          await page.waitForFunction(
            () =>
              [...document.querySelectorAll<HTMLImageElement>(".heatmap__image")].every(
                (i) => i.complete && i.naturalWidth === 224,
              ),
            undefined,
            { timeout: 60_000 },
          );
          return page.getByTestId("patch-heatmap").count();
        },
      },
    };
    const rows: Row[] = [];
    for (const [name, p] of Object.entries(pages)) {
      await visit(browser, `${web.url}${p.path}`, p.ready); // warm-up: Next.js route compile caches, API statement plans
      const vs: Visit[] = [];
      for (let i = 0; i < runs; i++) vs.push(await visit(browser, `${web.url}${p.path}`, p.ready));
      rows.push({
        page: name,
        runs,
        shown: vs[0].rows ?? null,
        median_ms: median(vs.map((v) => v.ms)),
        max_ms: Math.max(...vs.map((v) => v.ms)),
        kb_fetched: +(median(vs.map((v) => v.bytes)) / 1024).toFixed(1),
        graphql_requests: vs[0].graphqlRequests,
        graphql_kb: +(median(vs.map((v) => v.graphqlBytes)) / 1024).toFixed(1),
      });
    }
    const acts =
      target.topActivations == null ? "" : `, ${target.topActivations.toLocaleString("en-US")} top activations`;
    printTable(
      `browse-large${builtAtlas ? " --atlas built" : ""} — ${target.units.toLocaleString("en-US")} units${acts} (time to first unit rows / to all heatmap images decoded)`,
      rows,
    );
    writeReport(builtAtlas ? "browse-built" : "browse-large", {
      atlas: values.atlas,
      modelId: target.modelId,
      unitId: target.unitId,
      units: target.units,
      topActivations: target.topActivations,
      loadBefore: before.loadavg,
      rows,
    });
  } finally {
    await browser.close();
    await web.close();
    await api.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
