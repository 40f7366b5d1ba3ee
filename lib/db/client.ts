import "server-only";
// Prisma 7 over node-postgres. The same adapter serves a real PostgreSQL and the embedded PGlite.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

export { Prisma } from "./generated/client";
export * from "./generated/enums";

export type Db = PrismaClient;

export function createPrisma(databaseUrl: string, options: { max?: number } = {}): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: options.max }) });
}

// On globalThis rather than in a module variable: Next dev re-evaluates modules on every reload, and each
// fresh client would open another pool.
const globalForPrisma = globalThis as typeof globalThis & {
  __referralEnginePrisma?: { url: string; client: PrismaClient };
};

export function getPrisma(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start the app with `npm start` (or `npm run demo`), which starts the embedded " +
        "database when none is configured and sets DATABASE_URL, or set DATABASE_URL to a PostgreSQL URL.",
    );
  }
  const cached = globalForPrisma.__referralEnginePrisma;
  if (cached?.url === url) return cached.client;
  // DATABASE_URL changed (tests do this): the old pool would otherwise stay open for the life of the process.
  if (cached) void cached.client.$disconnect();
  const client = createPrisma(url);
  globalForPrisma.__referralEnginePrisma = { url, client };
  return client;
}
