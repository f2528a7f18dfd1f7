// `atlas import model|sae|dataset|annotations`: brings models (manifest + ONNX folder, or a Hugging Face CLIP
// export as it is), SAELens SAEs, datasets
// (image folders / JSONL texts) and annotation files (JSONL from `atlas export annotations`) into the local
// database. Files are copied into DATA_DIR (default .data/). Logic lives in @mmatlas/porting.
import { readFileSync, statSync } from "node:fs";
import type { Command } from "commander";
import {
  formatHookTable,
  importAnnotations,
  importHfClipModel,
  importImageFolder,
  importModel,
  importSae,
  importTextJsonl,
  isHfClipFolder,
  parseAnnotationJsonl,
  planHfClipImport,
  planNotes,
} from "@mmatlas/porting";
import { withDatabase } from "../lib/with-database";

export function registerImportCommand(program: Command): void {
  const cmd = program
    .command("import")
    .description("import a model, an SAE, a dataset or annotations into the local database");

  cmd
    .command("model <folder>")
    .description(
      "a model folder: model.json (manifest with hook points) + the ONNX files it names, or a Hugging Face / Optimum CLIP export as it is (config.json, preprocessor_config.json, tokenizer.json, onnx/vision_model.onnx + onnx/text_model.onnx)",
    )
    .option(
      "--no-copy",
      "register the folder where it is instead of copying it into DATA_DIR (model.json folders only)",
    )
    .option("--replace", "replace a model of the same name (its units and their labels are removed)")
    .option("--name <name>", "Hugging Face export: the model's name (default: the folder name)")
    .option("--quantized", "Hugging Face export: use onnx/*_quantized.onnx (= --dtype q8)")
    .option(
      "--dtype <dtype>",
      "Hugging Face export: which ONNX files, by transformers.js dtype: fp32 (default), fp16 (widened to float32), q8 (*_quantized), int8, uint8, q4, q4f16 (4-bit MatMulNBits)",
    )
    .option(
      "--hooks <file>",
      'Hugging Face export: JSON { "<hook name>": "<tensor name>" } overriding the discovered hook points',
    )
    .option(
      "--dry-run",
      "Hugging Face export: print the discovered hook points (name, tensor, shape) and import nothing",
    )
    .action(
      async (
        folder: string,
        opts: {
          copy: boolean;
          replace?: boolean;
          name?: string;
          quantized?: boolean;
          dtype?: string;
          hooks?: string;
          dryRun?: boolean;
        },
      ) => {
        if (isHfClipFolder(folder)) {
          if (opts.dryRun) {
            const plan = await planHfClipImport(folder, opts);
            console.log(
              `${plan.manifest.name}: Hugging Face CLIP export, ${plan.rows.length} hook points (nothing imported)\n${formatHookTable(plan.rows)}\n${planNotes(plan).join("\n")}`,
            );
            return;
          }
          const r = await withDatabase((prisma) => importHfClipModel(prisma, folder, opts));
          console.log(
            `${formatHookTable(r.plan.rows)}\n${planNotes(r.plan).join("\n")}\nmodel ${r.model.name}: Hugging Face CLIP export, ${r.hookPoints} hook points, files in ${r.directory}`,
          );
          if (r.removedUnits)
            console.log(
              `replaced: removed ${r.removedUnits.units} units and ${r.removedUnits.annotations} annotations of the old model; build it again`,
            );
          return;
        }
        for (const o of ["name", "quantized", "dtype", "hooks", "dryRun"] as const)
          if (opts[o] !== undefined)
            throw new Error(
              `--${o === "dryRun" ? "dry-run" : o} applies to Hugging Face exports (config.json + onnx/); ${folder} is not one`,
            );
        const r = await withDatabase((prisma) => importModel(prisma, folder, opts));
        console.log(
          `model ${r.model.name}: ${r.hookPoints} hook points, ${r.dictionaries} SAEs, files in ${r.directory}`,
        );
        if (r.removedUnits)
          console.log(
            `replaced: removed ${r.removedUnits.units} units and ${r.removedUnits.annotations} annotations of the old model; build it again`,
          );
      },
    );

  cmd
    .command("sae <folder>")
    .description("a SAELens folder: cfg.json + sae_weights.safetensors [+ sparsity.safetensors]")
    .requiredOption("-m, --model <name>", "model name or id")
    .option("--hook <name>", "hook point (default: cfg.json metadata.hook_name)")
    .option("--name <name>", "dictionary name (default: the folder name)")
    .option("--replace", "replace a dictionary of the same name (its units and their labels are removed)")
    .action(async (folder: string, opts: { model: string; hook?: string; name?: string; replace?: boolean }) => {
      const {
        dictionary: d,
        folder: stored,
        replaced,
      } = await withDatabase((prisma) => importSae(prisma, folder, opts));
      console.log(`SAE ${d.name}: ${d.architecture} d_in=${d.dIn} d_sae=${d.dSae}, weights in ${stored}`);
      if (replaced)
        console.log(
          `replaced the old ${replaced.architecture} SAE (d_sae ${replaced.dSae}): removed ${replaced.units} units and ${replaced.annotations} annotations`,
        );
      console.log(`not built yet: npm run atlas -- build --model ${opts.model} --saes ${d.name}`);
    });

  cmd
    .command("dataset <path>")
    .description("a folder of images (.png/.jpg/.webp; subfolders become class:<name> tags) or a .jsonl file of texts")
    .requiredOption("-n, --name <name>", "dataset name")
    .option("-d, --description <text>", "description")
    .action(async (p: string, opts: { name: string; description?: string }) => {
      const r = await withDatabase((prisma) =>
        statSync(p).isDirectory() ? importImageFolder(prisma, p, opts) : importTextJsonl(prisma, p, opts),
      );
      console.log(
        `dataset ${r.dataset.name} (${r.dataset.modality}): ${r.examples} examples read, ${r.dataset.size} stored`,
      );
    });

  cmd
    .command("annotations <file>")
    .description("a JSONL file from `atlas export annotations --format jsonl` (the same atlas must be built here)")
    .action(async (file: string) => {
      const records = parseAnnotationJsonl(readFileSync(file, "utf8"));
      const r = await withDatabase((prisma) => importAnnotations(prisma, records));
      console.log(`imported ${r.annotations} annotations on ${r.units} units (${r.usersCreated} users created)`);
    });
}
