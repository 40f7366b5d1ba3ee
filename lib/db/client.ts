import "server-only";
// Prisma 7 over node-postgres. The same adapter serves a real PostgreSQL and the embedded PGlite.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { errorField, logger } from "@/lib/observability/log";
import { watchPool } from "@/lib/observability/metrics";
import { PrismaClient } from "./generated/client";

export { Prisma } from "./generated/client";
export * from "./generated/enums";

export type Db = PrismaClient;

// On globalThis: the production build may load this module once per route, and the client one route made and
// cached (below) is asked for its pool by another.
const pools = ((
  globalThis as typeof globalThis & { __referralEnginePools?: WeakMap<PrismaClient, pg.Pool> }
).__referralEnginePools ??= new WeakMap());

/**
 * A client with a pool of its own; `pool` names it in the pool gauges of GET /api/metrics (the app's two
 * clients do; scripts' and tests' go unreported).
 */
export function createPrisma(databaseUrl: string, options: { max?: number; pool?: string } = {}): PrismaClient {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.max });
  // An idle connection the server closed (a restart, a failover, pg_terminate_backend) is an 'error' event on the
  // pool, and an event without a listener ends the process. Prisma listens only once it has connected itself, and
  // poolOf's readers may use the pool before it has. The pool drops that connection and opens another on demand.
  pool.on("error", (error) =>
    logger().warn({ pool: options.pool, error: errorField(error) }, "idle database connection lost"),
  );
  if (options.pool) watchPool(options.pool, pool);
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(client, pool);
  return client;
}

/**
 * The pool under a client createPrisma made, for the readers that speak to node-postgres themselves: the exports'
 * cursor (lib/exports/cursor.ts, rows taken one by one) and referral stats (lib/rewards/stats.ts, the hottest read,
 * without the ORM's per-query cost). Its connections count against the same limit as the client's.
 */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error("This Prisma client was not made by createPrisma: it has no pool to lend");
  return pool;
}

// On globalThis rather than in a module variable: Next dev re-evaluates modules on every reload, and each
// fresh client would open another pool.
const globalForPrisma = globalThis as typeof globalThis & {
  __referralEnginePrisma?: { url: string; client: PrismaClient };
  __referralEngineReadPrisma?: { url: string; client: PrismaClient };
};

/** The primary: every write, and every read that must see the latest write. */
export function getPrisma(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm start` (or `npm run demo`), which starts the embedded " +
        "database when none is configured and sets DATABASE_URL, or set DATABASE_URL to a PostgreSQL URL.",
    );
  }
  return cached("__referralEnginePrisma", url, "primary");
}

/**
 * The read replica (DATABASE_READ_URL) when there is one, else the primary: for the read-only views that may lag
 * by a few seconds — referral stats, the network tree, exports, the operator's overview. Balances, entries,
 * claims, and whatever is read right after a write, read the primary (getPrisma).
 */
export function getReadPrisma(): PrismaClient {
  const url = process.env.DATABASE_READ_URL;
  return url ? cached("__referralEngineReadPrisma", url, "replica") : getPrisma();
}

function cached(key: "__referralEnginePrisma" | "__referralEngineReadPrisma", url: string, pool: string): PrismaClient {
  const current = globalForPrisma[key];
  if (current?.url === url) return current.client;
  // The URL changed (tests do this): the old pool would otherwise stay open for the life of the process.
  if (current) void current.client.$disconnect();
  const client = createPrisma(url, { pool });
  globalForPrisma[key] = { url, client };
  return client;
}
