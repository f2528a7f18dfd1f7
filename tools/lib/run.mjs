// Runs a command with inherited stdio and resolves to its exit code (never rejects on a non-zero exit).
import { spawn } from "node:child_process";
import { ROOT } from "./paths.mjs";

/**
 * `stdout: 2` sends the command's output to this process's stderr (for launchers whose stdout carries data).
 * @returns {Promise<number>} exit code (1 when killed by a signal or when it cannot start)
 */
export function run(command, args, { env = process.env, cwd = ROOT, stdout = "inherit" } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", stdout, "inherit"] });
    child.once("error", (e) => {
      console.error(`cannot run ${command}: ${e.message}`);
      resolve(1);
    });
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Like run(), but exits this process with the same code when the command fails. */
export async function mustRun(label, command, args, opts) {
  const code = await run(command, args, opts);
  if (code !== 0) {
    console.error(`\n${label} failed (exit ${code}).`);
    process.exit(code);
  }
}

export const elapsed = (startMs) => `${((Date.now() - startMs) / 1000).toFixed(1)} s`;
