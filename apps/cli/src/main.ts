// `npm run atlas -- <command>`: the mmatlas command line. Each command lives in src/commands/<name>.ts and
// exports register<Name>Command(program); this file only wires them into one commander program.
import { Command } from "commander";
import { registerBuildCommand } from "./commands/build";
import { registerExportCommand } from "./commands/export";
import { registerImportCommand } from "./commands/import";
import { registerRemoveCommand } from "./commands/remove";

export function createProgram(): Command {
  const program = new Command()
    .name("atlas")
    .description("mmatlas command line: build atlases, import and export models, SAEs and datasets")
    .showHelpAfterError();
  // Commands register here, one line each (keep alphabetical).
  registerBuildCommand(program);
  registerExportCommand(program);
  registerImportCommand(program);
  registerRemoveCommand(program);
  return program;
}

if (require.main === module) {
  createProgram()
    .parseAsync(process.argv)
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
