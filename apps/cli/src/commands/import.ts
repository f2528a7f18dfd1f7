// `atlas import model|sae|dataset|annotations`: brings models (manifest + ONNX folder), SAELens SAEs, datasets
// (image folders / JSONL texts) and annotation files (JSONL from `atlas export annotations`) into the local
// database. Files are copied into DATA_DIR (default .data/). Logic lives in @mmatlas/porting.
import { readFileSync, statSync } from "node:fs";
import type { Command } from "commander";
import { importAnnotations, importImageFolder, importModel, importSae, importTextJsonl, parseAnnotationJsonl } from "@mmatlas/porting";
import { withDatabase } from "../lib/with-database";

export function registerImportCommand(program: Command): void {
  const cmd = program.command("import").description("import a model, an SAE, a dataset or annotations into the local database");

  cmd.command("model <folder>")
    .description("a model folder: model.json (manifest with hook points) + the ONNX files it names")
    .option("--no-copy", "register the folder where it is instead of copying it into DATA_DIR")
    .action(async (folder: string, opts: { copy: boolean }) => {
      const r = await withDatabase((prisma) => importModel(prisma, folder, { copy: opts.copy }));
      console.log(`model ${r.model.name}: ${r.hookPoints} hook points, ${r.dictionaries} SAEs, files in ${r.directory}`);
    });

  cmd.command("sae <folder>")
    .description("a SAELens folder: cfg.json + sae_weights.safetensors [+ sparsity.safetensors]")
    .requiredOption("-m, --model <name>", "model name or id")
    .option("--hook <name>", "hook point (default: cfg.json metadata.hook_name)")
    .option("--name <name>", "dictionary name (default: the folder name)")
    .action(async (folder: string, opts: { model: string; hook?: string; name?: string }) => {
      const d = await withDatabase((prisma) => importSae(prisma, folder, opts));
      console.log(`SAE ${d.name}: ${d.architecture} d_in=${d.dIn} d_sae=${d.dSae}, weights in ${d.weightsPath}`);
    });

  cmd.command("dataset <path>")
    .description("a folder of images (.png/.jpg; subfolders become class:<name> tags) or a .jsonl file of texts")
    .requiredOption("-n, --name <name>", "dataset name")
    .option("-d, --description <text>", "description")
    .action(async (p: string, opts: { name: string; description?: string }) => {
      const r = await withDatabase((prisma) => (statSync(p).isDirectory() ? importImageFolder(prisma, p, opts) : importTextJsonl(prisma, p, opts)));
      console.log(`dataset ${r.dataset.name} (${r.dataset.modality}): ${r.examples} examples read, ${r.dataset.size} stored`);
    });

  cmd.command("annotations <file>")
    .description("a JSONL file from `atlas export annotations --format jsonl` (the same atlas must be built here)")
    .action(async (file: string) => {
      const records = parseAnnotationJsonl(readFileSync(file, "utf8"));
      const r = await withDatabase((prisma) => importAnnotations(prisma, records));
      console.log(`imported ${r.annotations} annotations on ${r.units} units (${r.usersCreated} users created)`);
    });
}
