import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { createTestAuth } from "@/lib/testing/auth";
import { createEmptyTestDatabase } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { createPrisma } from "@/lib/db/client";
import { POST } from "./route";

// The embedded default (PGlite behind its socket server) whatever TEST_DATABASE_URL says: it is one PostgreSQL
// session shared by every connection, and concurrent requests must still each get the right answer.
const embedded = await createEmptyTestDatabase({ embedded: true });
await applyMigrations(embedded.url, { log: () => undefined });
process.env.DATABASE_URL = embedded.url;
process.env.DATABASE_PREPARED_STATEMENTS = "false";
const auth = createTestAuth();
const prisma = createPrisma(embedded.url, { preparedStatements: false });
afterAll(async () => {
  await prisma.$disconnect();
  await embedded.drop();
});

describe("POST /api/accounts on the embedded database", () => {
  it("answers 16 concurrent requests with one externalId with one account, no error, three times over", async () => {
    for (let round = 0; round < 3; round++) {
      const externalId = `concurrent-${round}`;
      const results = await Promise.all(
        Array.from({ length: 16 }, () =>
          call(POST, {
            method: "POST",
            path: "/api/accounts",
            headers: auth.operator,
            body: { kind: "user", externalId },
          }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses, JSON.stringify(results.filter((r) => r.status >= 300).map((r) => r.json))).toEqual([
        200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
      ]);
      expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
      expect(await prisma.account.count({ where: { externalId } })).toBe(1);
    }
  });

  it("names the column that collided: an email taken by another account is not a wallet conflict", async () => {
    const email = "taken@example.com";
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(POST, {
          method: "POST",
          path: "/api/accounts",
          headers: auth.operator,
          body: { kind: "user", email, externalId: `email-${i}` },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.json.message).toBe("This email already belongs to another account");
    }
  });
});
