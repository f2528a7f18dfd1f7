// Re-runs evaluation + ONNX export + manifest from an existing weights.safetensors (no training).
// usage: npx tsx --tsconfig tsconfig.base.json libs/model-zoo/scripts/export.ts [--dir <asset folder>]
import { resolve } from "node:path";
import { Command } from "commander";
import { buildModelAssets } from "../src/export/build-assets";

const o = new Command()
  .option("--dir <dir>", "asset folder", resolve(__dirname, "../assets/clip-shapes"))
  .parse()
  .opts();
buildModelAssets(resolve(o.dir)).catch((e) => {
  console.error(e);
  process.exit(1);
});
