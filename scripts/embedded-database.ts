/**
 * The embedded PostgreSQL for `npm start` without DATABASE_URL (scripts/start.mjs), in a process of its own as a
 * PostgreSQL server would be: starts it, applies its pending migrations, prints `ready <url>`, and stops it when
 * the server goes away (its stdin closes) or on SIGTERM.
 */
import { applyMigrations } from "@/lib/db/migrate";
import { resolveDatabase } from "@/lib/db/resolve";

async function main() {
  const db = await resolveDatabase({ ...process.env, DATABASE_URL: undefined });
  let stopping: Promise<void> | undefined;
  const stop = (code: number) => {
    stopping ??= db.stop().finally(() => process.exit(code));
    return stopping;
  };
  // Ctrl-C reaches the whole process group: the database stops once the server has gone (its stdin closes), so
  // no request in flight sees it vanish.
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => void stop(143));
  process.stdin.on("end", () => void stop(0));
  process.stdin.resume();
  const { applied } = await applyMigrations(db.url, { log: (line) => console.log(line) });
  if (applied.length) console.log(`Applied ${applied.length} migration(s) to the embedded database.`);
  console.log(`ready ${db.url}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
