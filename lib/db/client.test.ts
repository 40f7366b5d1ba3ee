// The pool under a Prisma client survives the server closing its idle connections, whoever used it first.
import { describe, expect, it } from "vitest";
import { usingRealPostgres } from "@/lib/testing/db";
import { waitFor } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { createPrisma, poolOf } from "./client";

const { db } = await integrationSetup();

describe("a client's pool", () => {
  it.skipIf(!usingRealPostgres)(
    "loses an idle connection the server terminates without ending the process, and serves the next query",
    async () => {
      const client = createPrisma(db.url);
      try {
        const pool = poolOf(client);
        // Used through node-postgres only, as the exports' cursor may be before Prisma ever connects.
        const { rows } = await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        expect(pool.idleCount).toBe(1);
        await db.prisma.$queryRaw`SELECT pg_terminate_backend(${rows[0]!.pid}::int)`;
        await waitFor(async () => pool.totalCount === 0);
        const again = await pool.query<{ one: number }>("SELECT 1 AS one");
        expect(again.rows[0]!.one).toBe(1);
      } finally {
        await client.$disconnect();
      }
    },
  );
});
