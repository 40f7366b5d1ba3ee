// The stats statement's cost on a table that just grew: dead index versions from a burst of shares, no vacuum yet,
// statistics from when the table was small. Real PostgreSQL only (the embedded one has no concurrency to bloat it).
import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/db/client";
import { usingRealPostgres } from "@/lib/testing/db";
import { integrationSetup } from "@/lib/testing/integration";
import { referralStats, statsStatement, TOP_REFERRALS } from "./stats";

const { db } = await integrationSetup();

// The largest network of `npm run bench`'s 2,000-account forest right after its ingestion: 700 referrals whose
// shares were paid 150 times each, 105,000 dead index entries.
const REFERRALS = 700;
const PAYMENTS = 150;

interface ExplainNode {
  "Shared Hit Blocks": number;
  "Shared Read Blocks": number;
}

describe("referral stats on a table full of dead versions", () => {
  it.skipIf(!usingRealPostgres)(
    "reads the best referrals by walking the index in order, not by visiting every dead version",
    async () => {
      // Statistics taken while every account had one referral, and no vacuum since: the planner expects a row or
      // two for any account, as it did right after the benchmark's ingestion.
      await db.prisma.$executeRaw`
        INSERT INTO referral_contribution (beneficiary_id, origin_id, level, unit, total, last_earned_at)
        SELECT 'usr_small_' || n, 'usr_small_origin_' || n, 1, 'POINTS', 1, now()
        FROM generate_series(1, 2000) AS n`;
      await db.prisma.$executeRawUnsafe(`ANALYZE referral_contribution`);
      await db.prisma.$executeRawUnsafe(`ALTER TABLE referral_contribution SET (autovacuum_enabled = false)`);
      await db.prisma.account.create({ data: { id: "usr_bloated", kind: "USER" } });
      await db.prisma.$executeRaw`
        INSERT INTO referral_contribution (beneficiary_id, origin_id, level, unit, total, last_earned_at)
        SELECT 'usr_bloated', 'usr_origin_' || lpad(n::text, 3, '0'), 1, 'POINTS', n, now()
        FROM generate_series(1, ${REFERRALS}::int) AS n`;
      // Each share paid changes `total`, an indexed column: every payment leaves one dead index entry per referral.
      await db.prisma.$executeRawUnsafe(`
        DO $$ BEGIN
          FOR i IN 1..${PAYMENTS} LOOP
            UPDATE referral_contribution SET total = total + 1 WHERE beneficiary_id = 'usr_bloated';
          END LOOP;
        END $$`);

      const buffers = await db.prisma.$transaction(async (tx) => {
        const explain = async () => {
          const [row] = await tx.$queryRaw<{ "QUERY PLAN": [{ Plan: ExplainNode }] }[]>(
            Prisma.sql`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statsStatement("usr_bloated")}`,
          );
          const plan = row!["QUERY PLAN"][0].Plan;
          return plan["Shared Hit Blocks"] + plan["Shared Read Blocks"];
        };
        // The first read plans the function and marks the dead entries it passes; the second is every later one.
        await explain();
        return explain();
      });
      // Visiting the dead entries and their heap versions takes thousands of pages; the walk takes a few dozen.
      expect(buffers).toBeLessThan(100);

      const stats = await referralStats(db.prisma, "usr_bloated", "USER");
      expect(stats.metrics.topReferrals).toHaveLength(TOP_REFERRALS);
      expect(stats.metrics.topReferrals.map((r) => [r.accountId, r.level, r.earned.toString()])).toEqual(
        Array.from({ length: TOP_REFERRALS }, (_, i) => [
          `usr_origin_${REFERRALS - i}`,
          1,
          String(REFERRALS - i + PAYMENTS),
        ]),
      );
    },
  );
});
