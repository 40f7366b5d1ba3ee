import "server-only";
// Prisma 7 over node-postgres. The same adapter serves a real PostgreSQL and the embedded PGlite.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { errorField, logger } from "@/lib/observability/log";
import { watchPool } from "@/lib/observability/metrics";
import { PrismaClient, type Prisma } from "./generated/client";

export { Prisma } from "./generated/client";
export * from "./generated/enums";

export type Db = PrismaClient;

// On globalThis: the production build may load this module once per route, and the client one route made and
// cached (below) is asked for its pool by another.
const pools = ((
  globalThis as typeof globalThis & { __referralEnginePools?: WeakMap<PrismaClient, LentPool> }
).__referralEnginePools ??= new WeakMap());

interface LentPool {
  pool: pg.Pool;
  preparedStatements: boolean;
}

export interface PrismaOptions {
  max?: number;
  /** Names the pool in the pool gauges of GET /api/metrics (the app's two clients do; scripts' and tests' don't). */
  pool?: string;
  /**
   * Whether `prepared` may name statements, so each connection keeps them. Off where connections do not keep
   * their own statements: the embedded PGlite, one session that every connection shares (a second connection
   * preparing the same name is refused), or a pooler in transaction mode that cannot hold them
   * (DATABASE_PREPARED_STATEMENTS=false).
   */
  preparedStatements?: boolean;
}

/** A client with a pool of its own. */
export function createPrisma(databaseUrl: string, options: PrismaOptions = {}): PrismaClient {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.max });
  // An idle connection the server closed (a restart, a failover, pg_terminate_backend) is an 'error' event on the
  // pool, and an event without a listener ends the process. Prisma listens only once it has connected itself, and
  // poolOf's readers may use the pool before it has. The pool drops that connection and opens another on demand.
  pool.on("error", (error) =>
    logger().warn({ pool: options.pool, error: errorField(error) }, "idle database connection lost"),
  );
  if (options.pool) watchPool(options.pool, pool);
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(client, {
    pool,
    preparedStatements: options.preparedStatements ?? process.env.DATABASE_PREPARED_STATEMENTS !== "false",
  });
  return client;
}

/**
 * The pool under a client createPrisma made, for the readers that speak to node-postgres themselves: the exports'
 * cursor (lib/exports/cursor.ts, rows taken one by one) and referral stats (lib/rewards/stats.ts, the hottest read,
 * without the ORM's per-query cost). Its connections count against the same limit as the client's.
 */
export function poolOf(db: Db): pg.Pool {
  return lentPool(db).pool;
}

/**
 * A statement for `poolOf(db).query`, named so that each connection parses and plans it once and afterwards only
 * binds and runs it: the referral-stats statement costs 0.6–0.7 ms a call so, against 1.4–2.2 ms parsed and planned
 * every time (docs/benchmarks.md). Unnamed where the pool's connections cannot keep statements of their own
 * (PrismaOptions.preparedStatements). A name stands for one text: two statements must not share it.
 */
export function prepared(db: Db, name: string, statement: Prisma.Sql): pg.QueryConfig {
  const { text, values } = statement;
  return lentPool(db).preparedStatements ? { name, text, values } : { text, values };
}

function lentPool(db: Db): LentPool {
  const lent = pools.get(db);
  if (!lent) throw new Error("This Prisma client was not made by createPrisma: it has no pool to lend");
  return lent;
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
