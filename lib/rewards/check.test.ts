import { beforeAll, describe, expect, it } from "vitest";
import type { Db, Prisma } from "@/lib/db/client";
import { createAccount } from "@/lib/referrals/accounts";
import { integrationSetup } from "@/lib/testing/integration";
import { checkRewardsConservation } from "./check";
import { recordComputeEvents, recordUsageEvents } from "./events";

const { db } = await integrationSetup();
let u1: string, u2: string, u3: string, u4: string, p1: string, p2: string;

beforeAll(async () => {
  const user = async (referrer?: string) => (await createAccount(db.prisma, { kind: "user", referrer })).account.id;
  u1 = await user();
  u2 = await user(u1);
  u3 = await user(u2);
  u4 = await user(u3);
  p1 = (await createAccount(db.prisma, { kind: "provider" })).account.id;
  p2 = (await createAccount(db.prisma, { kind: "provider", referrer: p1 })).account.id;
  await recordUsageEvents(db.prisma, [
    { requestId: "r1", userId: u4, endpoint: "/chat/completions", tokens: 1000 },
    { requestId: "r2", userId: u3, endpoint: "/embeddings", tokens: 7 },
  ]);
  await recordComputeEvents(db.prisma, [
    { eventId: "c1", providerId: p2, tokensGenerated: 100, requests: 3, uptimeSeconds: 60 },
  ]);
});

class Rollback extends Error {}

/** The check's findings after a tampering that is rolled back afterwards, so each case starts from clean books. */
async function problemsAfter(tamper: (tx: Prisma.TransactionClient) => Promise<unknown>): Promise<string[]> {
  let problems: string[] = [];
  await expect(
    db.prisma.$transaction(async (tx) => {
      await tamper(tx);
      problems = await checkRewardsConservation(tx as unknown as Db);
      throw new Rollback();
    }),
  ).rejects.toBeInstanceOf(Rollback);
  return problems;
}

describe("checkRewardsConservation", () => {
  it("finds nothing in books the engine wrote", async () => {
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });

  // The expected text is built lazily: the ids exist only once beforeAll has run.
  it.each<[string, (tx: Prisma.TransactionClient) => Promise<unknown>, () => RegExp]>([
    [
      "a share one 10^-18 off rate × base",
      (tx) =>
        tx.$executeRaw`UPDATE ledger_entry SET amount = amount + 0.000000000000000001 WHERE source_event = 'usage:r1' AND level = 2`,
      () => /share usage:r1 level 2 .*amount is not rate × base/,
    ],
    [
      "a level-4 share",
      (tx) => tx.$executeRaw`
        INSERT INTO ledger_entry (account_id, unit, amount, kind, level, source_event, origin_account_id)
        VALUES (${u1}, 'POINTS', 0.04, 'SHARE', 4, 'usage:r1', ${u4})`,
      () => /SHARE on level 4 — nothing is paid beyond level 3/,
    ],
    [
      "a share whose base row is gone",
      (tx) => tx.$executeRaw`DELETE FROM ledger_entry WHERE source_event = 'usage:r2' AND level = 0`,
      () => /share usage:r2 level 1 .*no base reward/,
    ],
    [
      "a share row missing from an event's reply",
      (tx) => tx.$executeRaw`DELETE FROM ledger_entry WHERE source_event = 'compute:c1' AND level = 1`,
      () => /event compute:c1: its stored reply and its ledger rows differ/,
    ],
    [
      "ledger rows of no recorded event",
      (tx) => tx.$executeRaw`
        INSERT INTO ledger_entry (account_id, unit, amount, kind, level, source_event, origin_account_id)
        VALUES (${u1}, 'POINTS', 1, 'BASE', 0, 'usage:ghost', ${u1})`,
      () => /ledger rows of usage:ghost have no recorded event/,
    ],
    [
      "a direct bonus of the wrong size",
      (tx) => tx.$executeRaw`UPDATE ledger_entry SET amount = 30 WHERE source_event = ${`referral:${u2}`}`,
      () => /direct bonus referral:.* of 30 to .* is not the referrer's bonus/,
    ],
    [
      "a maintained total that moved without the ledger",
      (tx) => tx.$executeRaw`UPDATE account_total SET level1 = level1 + 1 WHERE account_id = ${u3}`,
      () => new RegExp(`totals of ${u3} \\(POINTS\\) differ from the ledger's sums`),
    ],
    [
      "a daily history row that moved without the ledger",
      (tx) => tx.$executeRaw`UPDATE account_daily SET base = base + 0.5 WHERE account_id = ${u4}`,
      () => new RegExp(`daily history of ${u4} on .* differs`),
    ],
    [
      "a referral contribution that disagrees with the shares",
      (tx) => tx.$executeRaw`UPDATE referral_contribution SET total = total * 2 WHERE beneficiary_id = ${u2}`,
      () => new RegExp(`contribution of ${u4} to ${u2} differs`),
    ],
    [
      "an active-referral bucket that disagrees with the contributions",
      (tx) => tx.$executeRaw`UPDATE active_referral_day SET count = count + 1 WHERE beneficiary_id = ${u3}`,
      () => new RegExp(`active referrals of ${u3} last paid on .*: counted 2, actual 1`),
    ],
    [
      "a network count off by one",
      (tx) =>
        tx.$executeRaw`UPDATE network_count SET tertiary = tertiary + 1 WHERE account_id = ${u1} AND slot = (SELECT MIN(slot) FROM network_count WHERE account_id = ${u1})`,
      () => new RegExp(`network of ${u1}: counted 1/1/2 .*actual 1/1/1`),
    ],
    [
      "denormalized ancestors that disagree with the chain",
      (tx) => tx.$executeRaw`UPDATE account SET ancestor3_id = NULL WHERE id = ${u4}`,
      () => new RegExp(`account ${u4}: denormalized ancestors disagree`),
    ],
    [
      "a referred account without its referred_at",
      (tx) => tx.$executeRaw`UPDATE account SET referred_at = NULL WHERE id = ${u4}`,
      () => new RegExp(`account ${u4}: referred_at is not set exactly when there is a referrer`),
    ],
  ])("reports %s", async (_label, tamper, expected) => {
    const problems = await problemsAfter(tamper);
    expect(
      problems.some((p) => expected().test(p)),
      problems.join("\n"),
    ).toBe(true);
  });
});
