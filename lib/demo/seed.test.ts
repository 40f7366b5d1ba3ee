import { describe, expect, it } from "vitest";
import { getReferralFeeBalance } from "@/lib/fees/balance";
import { checkClaimConservation } from "@/lib/fees/check";
import { toPlainString } from "@/lib/money";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { referralStats } from "@/lib/rewards/stats";
import { integrationSetup } from "@/lib/testing/integration";
import { seedDemo } from "./seed";

const { db } = await integrationSetup();
describe("demo seed", () => {
  it("builds the seed documents' example networks with balanced books, and changes nothing when run again", async () => {
    const first = await seedDemo(db.prisma);
    expect(first.users).toBe(1 + 5 + 15 + 30);
    expect(first.providers).toBe(1 + 3 + 6 + 6);

    const users = await referralStats(db.prisma, first.user, "USER");
    expect(users.network).toEqual({ direct: 5, secondary: 15, tertiary: 30, total: 50 });
    const providers = await referralStats(db.prisma, first.provider, "PROVIDER");
    expect(providers.network).toEqual({ direct: 3, secondary: 6, tertiary: 6, total: 15 });
    expect(toPlainString(users.earnings.directBonus)).toBe("125");
    expect(toPlainString(providers.earnings.directBonus)).toBe("150");

    const balance = await getReferralFeeBalance(db.prisma, first.user);
    expect(balance.currencyBreakdown.map((c) => [c.currency, toPlainString(c.amount)])).toEqual(
      expect.arrayContaining([
        ["KES", "150"],
        ["NGN", "600"],
      ]),
    );
    // 150 × 0.0077 + 600 × 0.00063: the Rift example's "about $1.53".
    expect(toPlainString(balance.totalUsd)).toBe("1.533");
    expect(balance.canClaim).toBe(true);

    const ledgerRows = await db.prisma.ledgerEntry.count();
    const again = await seedDemo(db.prisma);
    expect(again).toEqual(first);
    expect(await db.prisma.ledgerEntry.count()).toBe(ledgerRows);
    expect(await db.prisma.feeEntry.count()).toBe(3);

    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
  });
});
