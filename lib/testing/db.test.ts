import pg from "pg";
import { describe, expect, it } from "vitest";
import { AccountKind } from "../db/client";
import { pingDatabase } from "../db/health";
import { createTestDatabase, usingRealPostgres } from "./db";

/** Whether the database behind `url` still exists once dropped. */
async function stillExists(url: string): Promise<boolean> {
  if (usingRealPostgres) {
    const server = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await server.connect();
    try {
      const name = new URL(url).pathname.slice(1);
      return (await server.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1;
    } finally {
      await server.end();
    }
  }
  // The embedded database is its own server: dropped means nothing answers on its port any more.
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  return client.connect().then(
    () => client.end().then(() => true),
    () => false,
  );
}

describe(`createTestDatabase (${usingRealPostgres ? "PostgreSQL from TEST_DATABASE_URL" : "embedded PGlite"})`, () => {
  it("gives a migrated database with a working Prisma client, and drop() deletes it", async () => {
    const db = await createTestDatabase();
    try {
      await db.prisma.account.create({ data: { id: "usr_test", kind: AccountKind.USER } });

      expect(await db.prisma.account.findUnique({ where: { id: "usr_test" } })).toMatchObject({
        id: "usr_test",
        kind: "USER",
        referrerId: null,
      });
      await expect(pingDatabase(db.prisma)).resolves.toBeUndefined();
    } finally {
      await db.drop();
    }

    expect(await stillExists(db.url)).toBe(false);
  });

  it("gives every call a database of its own", async () => {
    const [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      expect(first.url).not.toBe(second.url);
      await first.prisma.account.create({ data: { id: "usr_only_in_first", kind: AccountKind.USER } });

      expect(await second.prisma.account.count()).toBe(0);
    } finally {
      await Promise.all([first.drop(), second.drop()]);
    }
  });
});
