// Runs the built web app (`next start`) as a child process on a free port, pointed at a given API URL
// (read by the server at request time, so one build serves any API), with its output in a log file.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import path from "node:path";
import { freePort } from "./free-port";
import { ARTIFACTS_DIR, NEXT_BIN, REPO_ROOT, WEB_BUILD_ID, WEB_DIR } from "./paths";
import { waitForHttp } from "./wait-for-http";

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

export async function startWebServer({
  apiUrl,
  logName = "web",
}: {
  apiUrl: string;
  logName?: string;
}): Promise<WebServer> {
  if (!existsSync(WEB_BUILD_ID)) throw new Error(`no web build at ${WEB_BUILD_ID}: run \`npx next build apps/web\``);
  const host = "127.0.0.1";
  const port = await freePort(host);
  const log = createWriteStream(path.join(ARTIFACTS_DIR, `${logName}.log`));
  const child: ChildProcess = spawn(
    process.execPath,
    [NEXT_BIN, "start", WEB_DIR, "--port", String(port), "--hostname", host],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, NEXT_PUBLIC_API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(killer);
    }
    log.end();
  };

  const url = `http://${host}:${port}`;
  try {
    await waitForHttp(url, { isAlive: () => child.exitCode === null && child.signalCode === null });
  } catch (e) {
    await close();
    throw e;
  }
  return { url, close };
}
