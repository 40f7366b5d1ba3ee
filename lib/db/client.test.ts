// The pool under a Prisma client survives the server closing its idle connections, whoever used it first; its
// connections keep the statements `prepared` names, except where they cannot have statements of their own.
import { afterAll, describe, expect, it } from "vitest";
import { createEmptyTestDatabase, usingRealPostgres } from "@/lib/testing/db";
import { waitFor } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { createPrisma, poolOf, prepared, Prisma } from "./client";

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

/** The statements the connection that runs it has prepared, read on that connection. */
const PREPARED_HERE = Prisma.sql`SELECT name FROM pg_prepared_statements ORDER BY name`;

describe("prepared", () => {
  it.skipIf(!usingRealPostgres)("names a statement, so the connection parses it once and keeps it", async () => {
    const client = createPrisma(db.url, { max: 1, preparedStatements: true });
    try {
      const pool = poolOf(client);
      const statement = (n: number) => prepared(client, "add-one", Prisma.sql`SELECT ${n}::int + 1 AS sum`);
      expect((await pool.query<{ sum: number }>(statement(1))).rows[0]!.sum).toBe(2);
      expect((await pool.query<{ sum: number }>(statement(41))).rows[0]!.sum).toBe(42);
      const { rows } = await pool.query<{ name: string }>(PREPARED_HERE.text);
      expect(rows.map((r) => r.name)).toEqual(["add-one"]);
    } finally {
      await client.$disconnect();
    }
  });

  it("leaves the statement unnamed when the pool's connections cannot keep it", async () => {
    const client = createPrisma(db.url, { max: 1, preparedStatements: false });
    try {
      const pool = poolOf(client);
      const { rows } = await pool.query<{ sum: number }>(
        prepared(client, "add-one", Prisma.sql`SELECT ${1}::int + 1 AS sum`),
      );
      expect(rows[0]!.sum).toBe(2);
      expect((await pool.query<{ name: string }>(PREPARED_HERE.text)).rows).toEqual([]);
    } finally {
      await client.$disconnect();
    }
  });

  describe("on the embedded database", async () => {
    // One PGlite session behind every connection: what one connection prepares, the next one finds there.
    const embedded = await createEmptyTestDatabase({ embedded: true });
    afterAll(() => embedded.drop());

    const twoConnectionsPrepare = async (preparedStatements: boolean) => {
      const client = createPrisma(embedded.url, { max: 2, preparedStatements });
      try {
        const pool = poolOf(client);
        const [first, second] = [await pool.connect(), await pool.connect()];
        try {
          const statement = prepared(client, "add-one", Prisma.sql`SELECT ${1}::int + 1 AS sum`);
          await first.query(statement);
          return (await second.query<{ sum: number }>(statement)).rows[0]!.sum;
        } finally {
          first.release();
          second.release();
        }
      } finally {
        await client.$disconnect();
      }
    };

    it("is refused for a name another connection prepared, which is why npm start turns it off there", async () => {
      await expect(twoConnectionsPrepare(true)).rejects.toMatchObject({ code: "42P05" });
    });

    it("works unnamed from any number of connections", async () => {
      expect(await twoConnectionsPrepare(false)).toBe(2);
    });
  });
});
