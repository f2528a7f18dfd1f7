// The environment an import test runs under: IMPORT_ROOTS (where importModel / importSae may read folders) and
// DATA_DIR (where imports are copied), set before the API starts and put back as they were afterwards.

/** Sets IMPORT_ROOTS and DATA_DIR; the returned function restores both (unset ones are deleted again). */
export function useImportEnv(importRoots: string, dataDir: string): () => void {
  const saved = { IMPORT_ROOTS: process.env.IMPORT_ROOTS, DATA_DIR: process.env.DATA_DIR };
  process.env.IMPORT_ROOTS = importRoots;
  process.env.DATA_DIR = dataDir;
  return () => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  };
}
