// Next.js config for the mmatlas web app. The repo root is the Turbopack / file-tracing root so the
// npm-workspace libs (@mmatlas/*) and the hoisted node_modules resolve; list any @mmatlas lib the web
// imports in transpilePackages (browser-safe libs only: never db, inference or anything with Node APIs).
import path from "node:path";
import type { NextConfig } from "next";

const repoRoot = path.join(__dirname, "..", "..");

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: ["@mmatlas/collab"],
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
};

export default nextConfig;
