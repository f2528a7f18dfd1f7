// Root layout: page chrome plus the GraphQL client, whose API URL is read from the server's environment
// at request time (dynamic rendering), so the same build works against any API address.
import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { ApiProvider } from "../components/api-provider";
import { SiteHeader } from "../components/site-header";
import { readRuntimeConfig } from "../lib/runtime-config";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "mmatlas", template: "%s · mmatlas" },
  description: "A shared atlas of what multimodal models compute inside: neurons, SAE features and attention heads.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  const { apiUrl } = readRuntimeConfig();
  return (
    <html lang="en">
      <body>
        <ApiProvider apiUrl={apiUrl}>
          <SiteHeader />
          <main className="page">{children}</main>
        </ApiProvider>
      </body>
    </html>
  );
}
