// Applies prisma/migrations/*/migration.sql the way `prisma migrate deploy` does, because Prisma's CLI
// cannot always download its schema engine (docs/contributing.md, Migrations). The bookkeeping
// in `_prisma_migrations` is kept identical to Prisma's so that `prisma migrate deploy` accepts a database
// migrated by this code, and the reverse.
import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** The advisory lock Prisma's schema engine holds while migrating, so our appliers and Prisma's exclude each other. */
const PRISMA_MIGRATE_LOCK_ID = 72707369;

// The table as Prisma's engine creates it; `prisma migrate deploy` reads and extends it afterwards.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  /** Folder name, e.g. `20261121104255_init`; migrations apply in this order. */
  name: string;
  sql: string;
  /** Lowercase hex sha-256 of migration.sql, as Prisma stores it. */
  checksum: string;
}

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  log?: (line: string) => void;
}

export interface ApplyMigrationsResult {
  /** Names of the migrations this call applied, in order. */
  applied: string[];
  /** How many of the local migrations were already applied before this call. */
  alreadyApplied: number;
}

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

function defaultMigrationsDir(): string {
  return process.env.MIGRATIONS_DIR ?? fileURLToPath(new URL("../../prisma/migrations", import.meta.url));
}

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export function listMigrations(migrationsDir: string = defaultMigrationsDir()): Migration[] {
  if (!existsSync(migrationsDir)) {
    throw new Error(`Migrations directory not found: ${migrationsDir}`);
  }
  return (
    readdirSync(migrationsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      // Default sort compares code units, not locale collation: the same order Prisma uses for timestamped names.
      .sort()
      .map((name) => {
        const file = path.join(migrationsDir, name, "migration.sql");
        if (!existsSync(file)) {
          // Prisma refuses such a folder too (P3015); skipping it would silently drop a schema change.
          throw new Error(`Migration folder ${name} has no migration.sql (${file})`);
        }
        const bytes = readFileSync(file);
        return { name, sql: bytes.toString("utf8"), checksum: sha256(bytes) };
      })
  );
}

/** Prisma accepts a checksum computed on the file with either line ending, so a checkout with CRLF is not a change. */
function matchesChecksum(sql: string, checksum: string): boolean {
  const stored = checksum.toLowerCase();
  return [sql, sql.replace(/\r\n/g, "\n"), sql.replace(/\r?\n/g, "\r\n")].some((variant) => sha256(variant) === stored);
}

/** What goes into `logs`: enough to find the failing statement without the server log. */
function describeFailure(error: unknown, sql: string): string {
  if (!(error instanceof Error)) return String(error);
  const dbError = error as Partial<pg.DatabaseError>;
  const lines = [dbError.code ? `Database error code: ${dbError.code}` : undefined, `Database error: ${error.message}`];
  if (dbError.position) {
    const line = sql.slice(0, Number(dbError.position) - 1).split("\n").length;
    lines.push(`Position: line ${line} of migration.sql`);
  }
  if (dbError.detail) lines.push(`Detail: ${dbError.detail}`);
  if (dbError.hint) lines.push(`Hint: ${dbError.hint}`);
  return lines.filter((line) => line !== undefined).join("\n");
}

// PGlite serves every connection from one PostgreSQL session, where an advisory lock is re-entrant and so
// never blocks: appliers of the same database in this process queue here as well, or two of them could both
// find a migration pending. Across processes (and on real PostgreSQL) the advisory lock does the work.
const appliersByUrl = new Map<string, Promise<unknown>>();

function oneAtATime<T>(key: string, run: () => Promise<T>): Promise<T> {
  const result = (appliersByUrl.get(key) ?? Promise.resolve()).then(run);
  const settled = result.catch(() => undefined);
  appliersByUrl.set(key, settled);
  void settled.then(() => {
    if (appliersByUrl.get(key) === settled) appliersByUrl.delete(key);
  });
  return result;
}

export async function applyMigrations(
  databaseUrl: string,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  // Read the files before connecting, so a broken checkout fails without touching the database.
  const migrations = listMigrations(options.migrationsDir);
  const log = options.log ?? ((line: string) => console.log(line));
  return oneAtATime(databaseUrl, () => applyWithLock(databaseUrl, migrations, log));
}

async function applyWithLock(
  databaseUrl: string,
  migrations: Migration[],
  log: (line: string) => void,
): Promise<ApplyMigrationsResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // A dropped connection also rejects the pending query, which is how the caller hears of it; without a
  // listener the client's 'error' event would crash the process instead.
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK_ID})`);
    try {
      return await applyPending(client, migrations, log);
    } finally {
      // Closing the connection releases the lock as well; an unlock failure must not hide the real error.
      await client.query(`SELECT pg_advisory_unlock(${PRISMA_MIGRATE_LOCK_ID})`).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

async function applyPending(
  client: pg.Client,
  migrations: Migration[],
  log: (line: string) => void,
): Promise<ApplyMigrationsResult> {
  // Created under the lock: concurrent CREATE TABLE IF NOT EXISTS can still collide on the catalog.
  await client.query(CREATE_MIGRATIONS_TABLE);
  const { rows } = await client.query<MigrationRow>(
    `SELECT id, checksum, migration_name, started_at, finished_at, rolled_back_at
       FROM "_prisma_migrations" ORDER BY started_at`,
  );

  const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new Error(
      `P3009: migrate found failed migrations in the target database, new migrations will not be applied. ` +
        `The \`${failed.migration_name}\` migration started at ${failed.started_at.toISOString()} failed ` +
        `(see its "logs" in "_prisma_migrations"). Fix the database, then mark it rolled back ` +
        `(\`prisma migrate resolve --rolled-back ${failed.migration_name}\`, or set rolled_back_at) to retry it. ` +
        `https://pris.ly/d/migrate-resolve`,
    );
  }

  // A rolled-back row does not count: Prisma applies that migration again.
  const applied = new Map(
    rows
      .filter((row) => row.finished_at !== null && row.rolled_back_at === null)
      .map((row) => [row.migration_name, row]),
  );
  for (const migration of migrations) {
    const row = applied.get(migration.name);
    if (row && !matchesChecksum(migration.sql, row.checksum)) {
      log(
        `Warning: migration \`${migration.name}\` was modified after it was applied ` +
          `(checksum ${row.checksum} in the database, ${migration.checksum} on disk).`,
      );
    }
  }

  const pending = migrations.filter((migration) => !applied.has(migration.name));
  const appliedNow: string[] = [];
  for (const migration of pending) {
    const id = randomUUID();
    await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, $3)`, [
      id,
      migration.checksum,
      migration.name,
    ]);
    log(`Applying migration \`${migration.name}\``);
    const startedAt = Date.now();
    try {
      // No parameters: pg then sends one simple-protocol Query, which runs a multi-statement script (and
      // $$-quoted bodies) as written, in one implicit transaction.
      await client.query(migration.sql);
    } catch (error) {
      const logs = describeFailure(error, migration.sql);
      // If the connection itself broke, the row cannot take the logs; the migration's error is still the one to report.
      await client.query(`UPDATE "_prisma_migrations" SET logs = $1 WHERE id = $2`, [logs, id]).catch(() => undefined);
      throw new Error(`Migration \`${migration.name}\` failed; nothing after it was applied.\n${logs}`, {
        cause: error,
      });
    }
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = applied_steps_count + 1 WHERE id = $1`,
      [id],
    );
    log(`Applied migration \`${migration.name}\` in ${Date.now() - startedAt} ms`);
    appliedNow.push(migration.name);
  }

  return { applied: appliedNow, alreadyApplied: migrations.length - pending.length };
}
