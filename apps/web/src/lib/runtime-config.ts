// Server-only runtime settings for the web app, read when a request is rendered (not inlined at build
// time), so one production build can talk to an API on any host/port.
export const DEFAULT_API_URL = "http://localhost:4000/graphql";

export interface RuntimeConfig {
  /** GraphQL endpoint the browser talks to */
  apiUrl: string;
}

/** Reads an env var by computed name so the bundler cannot replace it with its build-time value. */
function runtimeEnv(name: string): string | undefined {
  const value = process.env[name];
  return value && value.trim() !== "" ? value.trim() : undefined;
}

export function readRuntimeConfig(): RuntimeConfig {
  return { apiUrl: runtimeEnv("NEXT_PUBLIC_API_URL") ?? runtimeEnv("API_URL") ?? DEFAULT_API_URL };
}
