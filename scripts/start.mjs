/**
 * `npm start`: serves the production build on PORT (default 3000) as ONE process — this one becomes `next start`
 * (no wrapper, no child serving), so what runs in production is what a process list shows. Plain JavaScript, so
 * it needs no TypeScript loader; a fresh clone builds first (`npm run build`) when there is no build.
 *
 * With DATABASE_URL it serves that database and applies nothing (`npm run db:migrate`; pending migrations are
 * named). Without it, the embedded PostgreSQL runs in a process of its own (scripts/embedded-database.ts), its
 * pending migrations applied, which is the only thing `npm start` does silently.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";

function fail(message) {
  console.error(message);
  process.exit(1);
}

async function warnAboutPendingMigrations(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client
      .query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL")
      .catch(() => ({ rows: [] }));
    const applied = new Set(rows.map((r) => r.migration_name));
    const folder = join(root, "prisma", "migrations");
    const pending = readdirSync(folder, { withFileTypes: true }).filter(
      (entry) => entry.isDirectory() && !applied.has(entry.name),
    );
    if (pending.length > 0) {
      console.warn(`${pending.length} pending migration(s) on DATABASE_URL; run \`npm run db:migrate\`.`);
    }
  } finally {
    await client.end();
  }
}

/** Starts the embedded database beside this process; resolves to its URL. It stops when this process goes. */
async function startEmbeddedDatabase() {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", join(root, "scripts", "embedded-database.ts")],
    { cwd: root, stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise((resolve, reject) => {
    lines.on("line", (line) => {
      const url = /^ready (\S+)$/.exec(line)?.[1];
      if (url) resolve(url);
      else console.log(line);
    });
    child.once("exit", (code) => reject(new Error(`the embedded database exited with code ${code}`)));
  });
  // Its stdin closes when this process exits, however it exits: the database then stops itself.
  child.once("exit", (code) => {
    if (code !== 0) process.exit(code ?? 1);
  });
  return ready;
}

if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, got "${process.env.PORT}"`);

if (!existsSync(join(root, ".next", "BUILD_ID"))) {
  console.log("No production build yet: building it (`npm run build`)…");
  const built = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) fail(`npm run build failed with exit code ${built.status}`);
}

try {
  if (process.env.DATABASE_URL) {
    await warnAboutPendingMigrations(process.env.DATABASE_URL);
  } else {
    process.env.DATABASE_URL = await startEmbeddedDatabase();
    // PGlite serves every connection through one session: no connection can listen apart (docs/live-updates.md),
    // nor keep prepared statements of its own (lib/db/client.ts).
    process.env.LIVE_UPDATES_DISABLED = "true";
    process.env.DATABASE_PREPARED_STATEMENTS = "false";
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

const localUrl = `http://127.0.0.1:${port}`;
if (!process.env.AUTH_URL && !process.env.APP_URL && !["127.0.0.1", "localhost", "::1"].includes(host)) {
  console.warn(
    `AUTH_URL is not set: Sign-In with Ethereum accepts messages for ${localUrl} only. Set AUTH_URL to the ` +
      "address people open (https://rewards.example.com) — docs/security.md.",
  );
}
// The site's own URL decides what a Sign-In with Ethereum message must name and where links point
// (docs/security.md); without one configured, the URL this server answers on locally.
process.env.AUTH_URL = process.env.AUTH_URL || process.env.APP_URL || localUrl;
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.PORT = String(port);

await import("./forwarded-headers.mjs");
await import("./malformed-urls.mjs");
const nextBin = require.resolve("next/dist/bin/next");
process.argv = [process.execPath, nextBin, "start", "-H", host, "-p", String(port)];
await import(pathToFileURL(nextBin).href);
