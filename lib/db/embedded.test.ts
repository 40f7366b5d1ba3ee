import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { createPrisma, getPrisma } from "./client";
import { startEmbeddedPostgres } from "./embedded";
import { pingDatabase } from "./health";
import { resolveDatabase } from "./resolve";

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// One data folder for the whole file: whichever test runs first pays PGlite's initdb (seconds), later ones reopen it.
const root = mkdtempSync(path.join(tmpdir(), "rt-embedded-"));
const dataDir = path.join(root, "pg");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("embedded PostgreSQL", () => {
  it("is what resolveDatabase starts without DATABASE_URL: in DATA_DIR/pg, on EMBEDDED_PG_PORT", async () => {
    const port = await freePort();

    const db = await resolveDatabase({ DATA_DIR: root, EMBEDDED_PG_PORT: String(port) });
    try {
      expect(db).toMatchObject({
        embedded: true,
        url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
      });
      expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);
      expect(await query(db.url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    } finally {
      await db.stop();
    }
  });

  it("keeps its data across a restart", async () => {
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      await query(first.url, `CREATE TABLE IF NOT EXISTS "kept" ("n" INTEGER); INSERT INTO "kept" VALUES (7)`);
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect(second.port).toBeGreaterThan(0);
      expect(await query(second.url, `SELECT "n" FROM "kept"`)).toContainEqual({ n: 7 });
    } finally {
      await second.stop();
    }
  });

  it("serves a connection pool: several connections at once", async () => {
    const db = await startEmbeddedPostgres({ dataDir });
    const prisma = createPrisma(db.url, { max: 10 });
    try {
      const results = await Promise.all(Array.from({ length: 15 }, (_, i) => prisma.$queryRaw`SELECT ${i}::int AS i`));

      expect(results.map((rows) => (rows as { i: number }[])[0]?.i)).toEqual(Array.from({ length: 15 }, (_, i) => i));
    } finally {
      await prisma.$disconnect();
      await db.stop();
    }
  });

  it("refuses a second instance on an open data folder, and frees it on stop", async () => {
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/already open in process \d+ \(this one\)/);
    } finally {
      await first.stop();
    }

    const again = await startEmbeddedPostgres({ dataDir });
    await again.stop();
  });

  it("reports a port already in use, and leaves the data folder free", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      await expect(startEmbeddedPostgres({ dataDir, port })).rejects.toThrow(
        new RegExp(`Cannot serve the embedded PostgreSQL on 127.0.0.1:${port}: .*EADDRINUSE`),
      );
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }

    const db = await startEmbeddedPostgres({ dataDir });
    await db.stop();
  });

  it("takes over the lock of a process that died without stopping it", async () => {
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(path.join(dataDir, ".embedded-postgres.lock"), String(deadPid));

    const db = await startEmbeddedPostgres({ dataDir });
    await db.stop();
  });
});

describe("resolveDatabase", () => {
  it("uses DATABASE_URL as given, and has nothing to stop", async () => {
    const url = "postgresql://app@db.example:5432/rewards";

    const db = await resolveDatabase({ DATABASE_URL: url });

    expect(db).toMatchObject({ url, embedded: false });
    await expect(db.stop()).resolves.toBeUndefined();
  });

  it("rejects an EMBEDDED_PG_PORT that is not a port", async () => {
    await expect(resolveDatabase({ DATA_DIR: root, EMBEDDED_PG_PORT: "54x" })).rejects.toThrow(
      /EMBEDDED_PG_PORT must be a port number/,
    );
  });
});

describe("getPrisma", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("tells how to start the app when DATABASE_URL is missing", () => {
    vi.stubEnv("DATABASE_URL", undefined);

    expect(() => getPrisma()).toThrow(/DATABASE_URL is not set.*npm start/);
  });

  it("is one client per process for a given DATABASE_URL", async () => {
    vi.stubEnv("DATABASE_URL", `postgresql://postgres@127.0.0.1:${await freePort()}/postgres`);

    const prisma = getPrisma();
    expect(getPrisma()).toBe(prisma);
    await prisma.$disconnect();
  });
});

describe("pingDatabase", () => {
  it("throws when the database does not answer", async () => {
    const prisma = createPrisma(`postgresql://postgres@127.0.0.1:${await freePort()}/postgres`);
    try {
      await expect(pingDatabase(prisma)).rejects.toMatchObject({
        code: "database_unavailable",
        status: 503,
        message: expect.stringMatching(/^Database did not answer/),
      });
    } finally {
      await prisma.$disconnect();
    }
  });
});
