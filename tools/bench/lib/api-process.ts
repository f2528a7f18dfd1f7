// Starts apps/api (main.ts) as a child process on a free port with the given environment (plus the API's heap
// setting, tools/lib/api-heap.mjs), waits for its
// "ready" line, prefixes its output, and stops it with SIGTERM (SIGKILL after a grace period).
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { REPO_ROOT } from "./report";
import { withApiHeapTuning } from "../../lib/api-heap.mjs";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address() as net.AddressInfo;
      s.close(() => resolve(a.port));
    });
  });
}

export interface ApiProcess {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startApiProcess(
  env: NodeJS.ProcessEnv,
  opts: { port?: number; label?: string; quiet?: boolean } = {},
): Promise<ApiProcess> {
  const port = opts.port ?? (await freePort());
  const tsx = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
  const child = spawn(tsx, ["--tsconfig", "tsconfig.base.json", "apps/api/src/main.ts"], {
    // the API's heap setting, as npm start and npm run cluster give it (tools/lib/api-heap.mjs)
    cwd: REPO_ROOT,
    env: withApiHeapTuning({ ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const label = opts.label ?? `api:${port}`;
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      if (!opts.quiet) for (const line of text.split("\n").filter(Boolean)) console.log(`[${label}] ${line}`);
      if (/API ready at/.test(output)) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`${label} exited with ${code} before it was ready:\n${output.slice(-2000)}`)),
    );
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`${label} not ready in 120 s`)), 120_000).unref(),
  );
  await Promise.race([ready, timeout]);
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(killer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
