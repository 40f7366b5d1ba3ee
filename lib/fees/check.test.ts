import { beforeAll, describe, expect, it } from "vitest";
import { checkClaimConservation } from "./check";
import { claimSettings, openClaim, type OpenedClaim } from "./claims";
import { referrerWithFees, setRates } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";

const { db } = await integrationSetup();
let claim: OpenedClaim;
let referrerId: string;
let otherReferrerId: string;

beforeAll(async () => {
  await setRates(db.prisma, { KES: "0.0077", NGN: "0.00063" });
  ({ referrerId } = await referrerWithFees(db.prisma, [
    { amount: "50000", currency: "KES" },
    { amount: "200000", currency: "NGN" },
    { amount: "101", currency: "NGN" },
  ]));
  ({ referrerId: otherReferrerId } = await referrerWithFees(db.prisma, [{ amount: "700", currency: "KES" }]));
  claim = await openClaim(db.prisma, referrerId, claimSettings({}), new Date());
});

/** Applies a corruption, runs the check, and undoes it. */
async function problemsAfter(corrupt: string, undo: string): Promise<string[]> {
  await db.prisma.$executeRawUnsafe(corrupt);
  try {
    return await checkClaimConservation(db.prisma);
  } finally {
    await db.prisma.$executeRawUnsafe(undo);
  }
}

describe("checkClaimConservation", () => {
  it("finds nothing wrong in books written by the rules", async () => {
    expect(claim.amountUsd.toFixed()).toBe("1.53319");
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
  });

  it.each([
    [
      "a fee that is not 1.5 %",
      `UPDATE fee_transaction SET fee = fee + 1, platform_fee = platform_fee + 1 WHERE currency = 'KES' AND amount = 50000`,
      `UPDATE fee_transaction SET fee = fee - 1, platform_fee = platform_fee - 1 WHERE currency = 'KES' AND amount = 50000`,
      "transaction fee is the program's feePercent of the amount",
    ],
    [
      "a platform share that does not complete the fee",
      `UPDATE fee_transaction SET platform_fee = platform_fee + 0.000000000000000001 WHERE amount = 101`,
      `UPDATE fee_transaction SET platform_fee = platform_fee - 0.000000000000000001 WHERE amount = 101`,
      "referrer and platform shares make up the fee",
    ],
    [
      "a fee entry that is not 0.3 % of its transaction",
      `UPDATE fee_entry SET amount_local = amount_local + 0.000000000000000001 WHERE currency = 'KES' AND amount_local = 2.1`,
      `UPDATE fee_entry SET amount_local = amount_local - 0.000000000000000001 WHERE currency = 'KES' AND amount_local > 2.1 AND amount_local < 2.2`,
      "every referred transaction has exactly its fee entry",
    ],
    [
      "a claim paying more than its lines",
      `UPDATE claim SET amount_usd = amount_usd + 0.000001`,
      `UPDATE claim SET amount_usd = amount_usd - 0.000001`,
      "a claim pays the sum of its lines rounded down to 6 decimals",
    ],
    [
      "a line priced at another rate than the one stored",
      `UPDATE claim_line SET usd_rate = 0.0078 WHERE currency = 'KES'`,
      `UPDATE claim_line SET usd_rate = 0.0077 WHERE currency = 'KES'`,
      "a claim line's USD is its local amount times its stored rate",
    ],
    [
      "an entry slipping out of its in-flight claim",
      `UPDATE fee_entry SET claim_id = NULL WHERE currency = 'NGN' AND amount_local = 600`,
      `UPDATE fee_entry SET claim_id = (SELECT id FROM claim LIMIT 1) WHERE currency = 'NGN' AND amount_local = 600`,
      "a paid or in-flight claim owns exactly the entries of its lines",
    ],
    [
      "a FAILED claim still holding entries",
      `UPDATE claim SET status = 'FAILED'`,
      `UPDATE claim SET status = 'PENDING'`,
      "a paid or in-flight claim owns exactly the entries of its lines",
    ],
    [
      "a COMPLETED claim without a transaction",
      `UPDATE claim SET status = 'COMPLETED', completed_at = now()`,
      `UPDATE claim SET status = 'PENDING', completed_at = NULL`,
      "a COMPLETED claim has its transaction and completion time",
    ],
  ])("reports %s", async (_name, corrupt, undo, rule) => {
    const problems = await problemsAfter(corrupt, undo);
    expect(problems.some((p) => p.startsWith(`${rule}:`))).toBe(true);
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
  });

  it("is backed by the database: a second PENDING claim for one account is refused", async () => {
    await expect(
      db.prisma.claim.create({
        data: { accountId: referrerId, status: "PENDING", amountUsd: "1", walletAddress: claim.walletAddress },
      }),
    ).rejects.toMatchObject({ code: "P2002" });
  });

  it("reports an entry attached to another account's claim, and a referred transaction without its entry", async () => {
    const moved = await problemsAfter(
      `UPDATE fee_entry SET claim_id = '${claim.id}' WHERE referrer_id = '${otherReferrerId}'`,
      `UPDATE fee_entry SET claim_id = NULL WHERE referrer_id = '${otherReferrerId}'`,
    );
    expect(moved.some((p) => p.startsWith("a claim pays its account's own entries:"))).toBe(true);

    const entry = await db.prisma.feeEntry.findFirstOrThrow({ where: { referrerId: otherReferrerId } });
    await db.prisma.feeEntry.delete({ where: { id: entry.id } });
    try {
      const problems = await checkClaimConservation(db.prisma);
      expect(problems).toContainEqual(expect.stringContaining(`no fee entry for referrer ${otherReferrerId}`));
    } finally {
      await db.prisma.feeEntry.create({ data: entry });
    }
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
  });
});
