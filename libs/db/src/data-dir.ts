// Where the product keeps its files: DATA_DIR (default <repo>/.data, git-ignored). Imported models and SAEs live
// below it (libs/porting), and so do build checkpoints' binary arrays (libs/builder). Every worker of a cluster must
// see the same folder, as it must see the same model folders.
import path from "node:path";
import { repoRoot } from "./repo-root";

export const dataDir = (env: Record<string, string | undefined> = process.env): string =>
  path.resolve(env.DATA_DIR?.trim() || path.join(repoRoot(), ".data"));
