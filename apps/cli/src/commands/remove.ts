// `atlas remove sae|model <name>`: removes a dictionary or a whole model with its units, labels and the files
// import copied into DATA_DIR, together (logic in @mmatlas/porting).
import type { Command } from "commander";
import { removeDictionary, removeModel, type RemoveResult } from "@mmatlas/porting";
import { withDatabase } from "../lib/with-database";

function report(r: RemoveResult): void {
  console.log(
    `removed ${r.kind} ${r.name}: ${r.units} units, ${r.annotations} annotations${r.kind === "model" ? `, ${r.dictionaries} SAEs` : ""}`,
  );
  for (const f of r.deletedFolders) console.log(`deleted ${f}`);
}

export function registerRemoveCommand(program: Command): void {
  const cmd = program
    .command("remove")
    .description("remove an SAE or a model: rows, units, labels and copied files together");

  cmd
    .command("sae <name>")
    .description("an SAE (dictionary) of a model")
    .requiredOption("-m, --model <name>", "model name or id")
    .action(async (name: string, opts: { model: string }) => {
      report(await withDatabase((prisma) => removeDictionary(prisma, opts.model, name)));
    });

  cmd
    .command("model <name>")
    .description("a model with all its hook points, SAEs and units")
    .action(async (name: string) => {
      report(await withDatabase((prisma) => removeModel(prisma, name)));
    });
}
