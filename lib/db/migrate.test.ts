import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it, type TestContext } from "vitest";
import { createEmptyTestDatabase, usingRealPostgres } from "../testing/db";
import { applyMigrations, listMigrations, type ApplyMigrationsResult } from "./migrate";

const NEEDS_REAL_POSTGRES =
  "needs a real PostgreSQL: set TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres)";

const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
const projectMigrations = listMigrations();

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function freshDatabase(ctx: TestContext, embedded: boolean): Promise<string> {
  ctx.skip(!embedded && !usingRealPostgres, NEEDS_REAL_POSTGRES);
  const db = await createEmptyTestDatabase({ embedded });
  ctx.onTestFinished(() => db.drop());
  return db.url;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A migrations folder holding the given migration.sql texts, by folder name. */
function migrationsDir(migrations: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "rt-migrations-"));
  tempDirs.push(dir);
  for (const [name, sql] of Object.entries(migrations)) writeMigration(dir, name, sql);
  return dir;
}

function writeMigration(dir: string, name: string, sql: string): void {
  mkdirSync(path.join(dir, name), { recursive: true });
  writeFileSync(path.join(dir, name, "migration.sql"), sql);
}

const silent = { log: () => undefined };

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
}

function migrationRows(url: string): Promise<MigrationRow[]> {
  return query<MigrationRow>(
    url,
    `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
}

/** The catalog facts a migration determines; NOT NULL constraints (listed in pg_constraint since PostgreSQL 18) are compared as column nullability. */
async function schemaOf(url: string) {
  return {
    columns: await query(
      url,
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
              character_maximum_length, numeric_precision, numeric_scale, datetime_precision
         FROM information_schema.columns WHERE table_schema = 'public'
        ORDER BY table_name, column_name`,
    ),
    indexes: await query(
      url,
      `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`,
    ),
    constraints: await query(
      url,
      `SELECT rel.relname AS table_name, con.conname, con.contype, pg_get_constraintdef(con.oid) AS definition
         FROM pg_constraint con
         JOIN pg_class rel ON rel.oid = con.conrelid
         JOIN pg_namespace ns ON ns.oid = rel.relnamespace
        WHERE ns.nspname = 'public' AND con.contype <> 'n'
        ORDER BY rel.relname, con.conname`,
    ),
    enums: await query(
      url,
      `SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
         FROM pg_type t
         JOIN pg_enum e ON e.enumtypid = t.oid
         JOIN pg_namespace ns ON ns.oid = t.typnamespace
        WHERE ns.nspname = 'public'
        GROUP BY t.typname ORDER BY t.typname`,
    ),
  };
}

/** Runs applyMigrations in a separate Node process, starting at `startAt` so that all of them race. */
function applyInChildProcess(url: string, startAt: number): Promise<ApplyMigrationsResult> {
  const migrateModule = pathToFileURL(fileURLToPath(new URL("./migrate.ts", import.meta.url))).href;
  const script = `
    import { applyMigrations } from ${JSON.stringify(migrateModule)};
    await new Promise((resolve) => setTimeout(resolve, ${startAt} - Date.now()));
    const result = await applyMigrations(process.env.TARGET_URL, { log: () => {} });
    process.stdout.write(JSON.stringify(result));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "--input-type=module", "-e", script],
      {
        cwd: projectRoot,
        env: { ...process.env, TARGET_URL: url },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as ApplyMigrationsResult);
      else reject(new Error(`applier process exited with ${code}: ${stderr}`));
    });
  });
}

describe("listMigrations", () => {
  it("lists migration folders in name order with the sha-256 of each migration.sql", () => {
    const dir = migrationsDir({ "20260102000000_b": "SELECT 2;\n", "20260101000000_a": "SELECT 1;\n" });
    writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');

    expect(listMigrations(dir)).toEqual([
      {
        name: "20260101000000_a",
        sql: "SELECT 1;\n",
        checksum: createHash("sha256").update("SELECT 1;\n").digest("hex"),
      },
      {
        name: "20260102000000_b",
        sql: "SELECT 2;\n",
        checksum: createHash("sha256").update("SELECT 2;\n").digest("hex"),
      },
    ]);
  });

  it("refuses a migration folder without migration.sql", () => {
    const dir = migrationsDir({ "20260101000000_a": "SELECT 1;\n" });
    mkdirSync(path.join(dir, "20260102000000_empty"));

    expect(() => listMigrations(dir)).toThrow(/20260102000000_empty has no migration\.sql/);
  });
});

describe("applyMigrations: same schema everywhere", () => {
  it("gives the same tables, columns, indexes, constraints and enums on PGlite and on PostgreSQL", async (ctx) => {
    const embeddedUrl = await freshDatabase(ctx, true);
    const realUrl = await freshDatabase(ctx, false);
    await applyMigrations(embeddedUrl, silent);
    await applyMigrations(realUrl, silent);

    const [embedded, real] = await Promise.all([schemaOf(embeddedUrl), schemaOf(realUrl)]);
    expect(embedded.columns).toContainEqual(
      expect.objectContaining({
        table_name: "account",
        column_name: "kind",
        udt_name: "AccountKind",
        is_nullable: "NO",
      }),
    );
    expect(embedded.indexes.length).toBeGreaterThan(0);
    expect(embedded.constraints.some((row) => row.contype === "f")).toBe(true);
    expect(embedded).toEqual(real);
  });
});

describe.each([
  { target: "embedded PGlite", embedded: true },
  { target: "PostgreSQL", embedded: false },
])("applyMigrations on $target", ({ embedded }) => {
  it("records each migration with its file's sha-256, finished_at and applied_steps_count = 1", async (ctx) => {
    const url = await freshDatabase(ctx, embedded);

    const result = await applyMigrations(url, silent);

    expect(result).toEqual({ applied: projectMigrations.map((m) => m.name), alreadyApplied: 0 });
    const rows = await migrationRows(url);
    expect(rows).toHaveLength(projectMigrations.length);
    for (const [i, migration] of projectMigrations.entries()) {
      const file = path.join(projectRoot, "prisma/migrations", migration.name, "migration.sql");
      expect(rows[i]).toMatchObject({
        migration_name: migration.name,
        checksum: createHash("sha256").update(readFileSync(file)).digest("hex"),
        rolled_back_at: null,
        applied_steps_count: 1,
        logs: null,
      });
      expect(rows[i]?.finished_at).toBeInstanceOf(Date);
    }
  });

  it("applies nothing the second time", async (ctx) => {
    const url = await freshDatabase(ctx, embedded);
    await applyMigrations(url, silent);

    const second = await applyMigrations(url, silent);

    expect(second).toEqual({ applied: [], alreadyApplied: projectMigrations.length });
    expect(await migrationRows(url)).toHaveLength(projectMigrations.length);
  });

  it("runs each script as one multi-statement query, $$ bodies included", async (ctx) => {
    const url = await freshDatabase(ctx, embedded);
    const dir = migrationsDir({
      "20260101000000_function": `
        CREATE TABLE "counter" ("n" INTEGER NOT NULL);
        CREATE FUNCTION "bump"() RETURNS INTEGER AS $$
        BEGIN
          INSERT INTO "counter" VALUES (1);
          RETURN (SELECT count(*) FROM "counter");
        END;
        $$ LANGUAGE plpgsql;
        SELECT "bump"();
      `,
    });

    await applyMigrations(url, { migrationsDir: dir, ...silent });

    expect(await query(url, `SELECT "bump"() AS n`)).toEqual([{ n: 2 }]);
  });

  it("serializes 5 concurrent appliers: each migration applied exactly once, no errors", async (ctx) => {
    const url = await freshDatabase(ctx, embedded);

    // Real PostgreSQL: separate processes, so only the advisory lock can keep them apart. PGlite belongs to the
    // process that opened it, where concurrent appliers are callers in that process.
    const startAt = Date.now() + 4_000;
    const results = await Promise.all(
      Array.from({ length: 5 }, () => (embedded ? applyMigrations(url, silent) : applyInChildProcess(url, startAt))),
    );

    for (const migration of projectMigrations) {
      expect(results.filter((result) => result.applied.includes(migration.name))).toHaveLength(1);
    }
    for (const result of results) {
      expect(result.applied.length + result.alreadyApplied).toBe(projectMigrations.length);
    }
    const rows = await migrationRows(url);
    expect(rows.map((row) => row.migration_name)).toEqual(projectMigrations.map((m) => m.name));
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
  }, 120_000);

  it("records a failing migration's error, stops there, and refuses to go on until it is resolved", async (ctx) => {
    const url = await freshDatabase(ctx, embedded);
    const dir = migrationsDir({
      "20260101000000_ok": `CREATE TABLE "t_ok" ("id" INTEGER);\n`,
      "20260101000001_bad": `CREATE TABLE "t_bad" ("id" INTEGER);\nSELEC 1;\n`,
      "20260101000002_after": `CREATE TABLE "t_after" ("id" INTEGER);\n`,
    });

    await expect(applyMigrations(url, { migrationsDir: dir, ...silent })).rejects.toThrow(
      /`20260101000001_bad` failed[\s\S]*syntax error at or near "SELEC"/,
    );
    const rows = await migrationRows(url);
    expect(rows.map((row) => row.migration_name)).toEqual(["20260101000000_ok", "20260101000001_bad"]);
    expect(rows[1]).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(rows[1]?.logs).toMatch(/42601[\s\S]*syntax error at or near "SELEC"[\s\S]*line 2/);
    // The script is one implicit transaction: its first statement did not survive the second's failure.
    expect(await query(url, `SELECT to_regclass('public.t_bad') AS t`)).toEqual([{ t: null }]);

    await expect(applyMigrations(url, { migrationsDir: dir, ...silent })).rejects.toThrow(
      /P3009[\s\S]*`20260101000001_bad`/,
    );

    // What `prisma migrate resolve --rolled-back` does, after the file is fixed: the migration runs again.
    writeMigration(dir, "20260101000001_bad", `CREATE TABLE "t_bad" ("id" INTEGER);\n`);
    await query(
      url,
      `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '20260101000001_bad'`,
    );
    expect(await applyMigrations(url, { migrationsDir: dir, ...silent })).toEqual({
      applied: ["20260101000001_bad", "20260101000002_after"],
      alreadyApplied: 1,
    });
  });

  it("warns when an applied migration's file changed, but not for a CRLF/LF difference", async (ctx) => {
    const url = await freshDatabase(ctx, embedded);
    const name = "20260101000000_table";
    const sql = `CREATE TABLE "t" ("id" INTEGER);\n-- comment\n`;
    const dir = migrationsDir({ [name]: sql });
    await applyMigrations(url, { migrationsDir: dir, ...silent });

    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    writeMigration(dir, name, sql.replace(/\n/g, "\r\n"));
    expect(await applyMigrations(url, { migrationsDir: dir, log })).toEqual({ applied: [], alreadyApplied: 1 });
    expect(lines.filter((line) => /warning/i.test(line))).toEqual([]);

    writeMigration(dir, name, `CREATE TABLE "t" ("id" BIGINT);\n`);
    expect(await applyMigrations(url, { migrationsDir: dir, log })).toEqual({ applied: [], alreadyApplied: 1 });
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`Warning: migration \`${name}\` was modified`)));
  });
});
