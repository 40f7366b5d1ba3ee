/**
 * `npm start`: serves the production build on PORT (default 3000), building it first when there is none (a fresh
 * clone). With DATABASE_URL it uses that database and applies nothing (run `npm run db:migrate`); without it, it
 * starts the embedded PostgreSQL and applies its pending migrations, which is the only thing it does silently.
 */
import { applyMigrations, listMigrations } from "@/lib/db/migrate";
import { resolveDatabase } from "@/lib/db/resolve";
import { build, hasBuild, onShutdown, startNextServer } from "./next-server";
import pg from "pg";

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";

async function warnAboutPendingMigrations(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client
      .query<{ migration_name: string }>("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL")
      .catch(() => ({ rows: [] as { migration_name: string }[] }));
    const applied = new Set(rows.map((r) => r.migration_name));
    const pending = listMigrations().filter((m) => !applied.has(m.name));
    if (pending.length > 0) {
      console.warn(`${pending.length} pending migration(s) on DATABASE_URL; run \`npm run db:migrate\`.`);
    }
  } finally {
    await client.end();
  }
}

async function main() {
  if (!hasBuild()) {
    console.log("No production build yet: building it (`npm run build`)…");
    build();
  }
  const db = await resolveDatabase();
  if (db.embedded) {
    const { applied } = await applyMigrations(db.url, { log: (line) => console.log(line) });
    if (applied.length) console.log(`Applied ${applied.length} migration(s) to the embedded database.`);
  } else {
    await warnAboutPendingMigrations(db.url);
  }
  const server = await startNextServer({
    port,
    host,
    // PGlite serves every connection through one session: no connection can listen apart (docs/live-updates.md).
    env: { DATABASE_URL: db.url, ...(db.embedded ? { LIVE_UPDATES_DISABLED: "true" } : {}) },
  });
  console.log(`Serving on ${server.url}`);
  if (!process.env.AUTH_URL && !process.env.APP_URL && !["127.0.0.1", "localhost", "::1"].includes(host)) {
    console.warn(
      `AUTH_URL is not set: Sign-In with Ethereum accepts messages for ${server.url} only. Set AUTH_URL to the ` +
        "address people open (https://rewards.example.com) — docs/security.md.",
    );
  }
  onShutdown(async () => {
    await server.stop();
    await db.stop();
  });
  server.process.once("exit", async (code) => {
    await db.stop();
    process.exit(code ?? 1);
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
