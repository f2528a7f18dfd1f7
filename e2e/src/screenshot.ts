// Saves a full-page screenshot under artifacts/e2e/<name>.png (kept as a test artifact).
import path from "node:path";
import type { Page } from "playwright-core";
import { ARTIFACTS_DIR } from "./paths";

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
