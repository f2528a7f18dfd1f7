// Registers (or updates in place) a model from its manifest, by default the built-in CLIP-shapes model
// committed in libs/model-zoo, in the configured database (DATABASE_URL, else the embedded PGlite).
// Run by `npm start` after migrating: `tsx --tsconfig tsconfig.base.json tools/scripts/register-builtin-model.ts [model.json]`
import path from "node:path";
import { openDatabase, repoRoot } from "@mmatlas/db";
import { registerModelFromManifest } from "@mmatlas/catalog";

const BUILTIN_MANIFEST = path.join(repoRoot(), "libs", "model-zoo", "assets", "clip-shapes", "model.json");

async function main(): Promise<void> {
  const db = await openDatabase();
  try {
    const { model, hookPoints, dictionaries } = await registerModelFromManifest(
      db.prisma,
      process.argv[2] ?? BUILTIN_MANIFEST,
    );
    console.log(`Model ${model.name} registered in ${db.label}: ${hookPoints} hook points, ${dictionaries} SAEs.`);
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
