// Which PostgreSQL the process uses: DATABASE_URL when given, else the embedded one (README, Configuration).
import "server-only";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedPostgres } from "./embedded";

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded database; nothing to do for an external one. */
  stop(): Promise<void>;
}

const DEFAULT_DATA_DIR = fileURLToPath(new URL("../../.data", import.meta.url));

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    throw new Error(`EMBEDDED_PG_PORT must be a port number (0-65535), got "${value}"`);
  }
  return port;
}

export async function resolveDatabase(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ResolvedDatabase> {
  if (env.DATABASE_URL) {
    return { url: env.DATABASE_URL, embedded: false, stop: async () => undefined };
  }
  const dataDir = path.join(path.resolve(env.DATA_DIR ?? DEFAULT_DATA_DIR), "pg");
  const port = env.EMBEDDED_PG_PORT ? parsePort(env.EMBEDDED_PG_PORT) : undefined;
  const db = await startEmbeddedPostgres({ dataDir, port });
  return { url: db.url, embedded: true, stop: () => db.stop() };
}
