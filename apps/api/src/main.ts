// Entry point: applies pending migrations, then serves the API on PORT (default 4000) and HOST.
import "reflect-metadata";
import { migrateDatabase } from "@mmatlas/db";
import { startApiServer } from "./server";

async function main() {
  const port = Number(process.env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  const applied = await migrateDatabase();
  if (applied.length) console.log(`applied migrations: ${applied.join(", ")}`);
  const api = await startApiServer({ port, host: process.env.HOST ?? "0.0.0.0" });
  console.log(`mmatlas API ready at ${api.url} (subscriptions at ${api.wsUrl})`);
  const stop = () => { api.close().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); }); };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
