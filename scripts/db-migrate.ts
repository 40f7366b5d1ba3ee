// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database without it.
import { applyMigrations } from "../lib/db/migrate";
import { resolveDatabase } from "../lib/db/resolve";

/** Where we migrate, without the password a DATABASE_URL may carry. */
function describeTarget(url: string, embedded: boolean): string {
  const { hostname, port, pathname } = new URL(url);
  return embedded ? `embedded PostgreSQL (port ${port})` : `${hostname}${port ? `:${port}` : ""}${pathname}`;
}

async function main(): Promise<void> {
  const db = await resolveDatabase();
  try {
    console.log(`Migrating ${describeTarget(db.url, db.embedded)}`);
    const { applied } = await applyMigrations(db.url, { log: (line) => console.log(line) });
    console.log(
      applied.length === 0
        ? "No pending migrations"
        : `${applied.length} migration${applied.length === 1 ? "" : "s"} applied`,
    );
  } finally {
    await db.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
