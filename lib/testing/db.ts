// Every test gets a database of its own: on the PostgreSQL server named by TEST_DATABASE_URL when set (what
// CI and concurrency tests need), else on a throwaway embedded PGlite so the suite runs with no setup.
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { createPrisma, type Db } from "../db/client";
import { startEmbeddedPostgres } from "../db/embedded";
import { applyMigrations } from "../db/migrate";

const serverUrl = process.env.TEST_DATABASE_URL || undefined;

/** True when tests run on a real PostgreSQL; PGlite runs one transaction at a time, so concurrency tests skip without it. */
export const usingRealPostgres: boolean = serverUrl !== undefined;

export interface EmptyTestDatabase {
  url: string;
  /** A PGlite: one session that every connection shares (no prepared statements of a connection's own). */
  embedded: boolean;
  drop(): Promise<void>;
}

export interface TestDatabase extends EmptyTestDatabase {
  prisma: Db;
}

async function onServer<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const templateCacheDir = fileURLToPath(new URL("../../node_modules/.cache/referral-engine", import.meta.url));

function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const manifest = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`)), "package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/**
 * PGlite's initdb takes about 3 of the 4-5 seconds a fresh embedded database needs; copying a freshly
 * initialised, cleanly closed data folder skips it. Cached on disk, keyed by PGlite version, because vitest
 * runs each test file in a new process.
 */
async function initialisedDataDir(): Promise<string> {
  const template = path.join(templateCacheDir, `pglite-${pgliteVersion()}-initdb`);
  if (existsSync(template)) return template;
  await mkdir(templateCacheDir, { recursive: true });
  const building = await mkdtemp(`${template}.building-`);
  try {
    await (await PGlite.create(building)).close();
    // Atomic, so no process ever copies a half-built template; the loser of a race keeps the winner's.
    await rename(building, template);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    if (!existsSync(template)) throw error;
  }
  return template;
}

async function createEmbeddedDatabase(): Promise<EmptyTestDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "rt-pglite-"));
  try {
    const template = await initialisedDataDir();
    // Synchronous on purpose: for these ~1000 small files the promise-based cp is markedly slower.
    cpSync(template, dataDir, { recursive: true });
    const embedded = await startEmbeddedPostgres({ dataDir });
    return {
      url: embedded.url,
      embedded: true,
      drop: async () => {
        await embedded.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function createServerDatabase(server: string): Promise<EmptyTestDatabase> {
  // rt_ + random hex: unique across parallel workers, and a valid identifier as it stands.
  const name = `rt_${randomBytes(8).toString("hex")}`;
  await onServer(server, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded: false,
    drop: async () => {
      // FORCE: a pool a test forgot to close must not keep the database alive.
      await onServer(server, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * A database with nothing in it, not even migrations (for tests of the migrations themselves): on the
 * TEST_DATABASE_URL server when set, unless `embedded` asks for a PGlite regardless.
 */
export async function createEmptyTestDatabase(options: { embedded?: boolean } = {}): Promise<EmptyTestDatabase> {
  return serverUrl && !options.embedded ? createServerDatabase(serverUrl) : createEmbeddedDatabase();
}

/** A migrated database and a Prisma client on it; drop() disconnects and deletes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const db = await createEmptyTestDatabase();
  try {
    await applyMigrations(db.url, { log: () => undefined });
  } catch (error) {
    await db.drop();
    throw error;
  }
  const prisma = createPrisma(db.url, { preparedStatements: !db.embedded });
  return {
    url: db.url,
    embedded: db.embedded,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await db.drop();
    },
  };
}
