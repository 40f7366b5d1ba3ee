/** The benchmark's own database on a PostgreSQL server: created and migrated at the start, dropped at the end. */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "@/lib/db/migrate";

export interface BenchDatabase {
  name: string;
  url: string;
  /** Drops the database (FORCE: the app's pool may still be connected). Safe to call more than once. */
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `bench_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  const db: BenchDatabase = {
    name,
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
  try {
    await applyMigrations(db.url, { log: () => undefined });
  } catch (error) {
    await db.drop();
    throw error;
  }
  return db;
}
