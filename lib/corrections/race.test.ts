// A reversal racing a claim of the same fee entry, on a real PostgreSQL and a local anvil chain: the entry is
// either claimed (paid on chain) and then clawed back, or voided and not claimed — never both, never neither.
// RACE_RUNS sets how many races (20 by default; the measured figure uses 200).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkClaimConservation } from "@/lib/fees/check";
import { claimReferralFees, NothingToClaim } from "@/lib/fees/claims";
import { dec } from "@/lib/money";
import { usingRealPostgres } from "@/lib/testing/db";
import { chainKit, payoutEnv, referrerWithFees, setRates, type ChainKit } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { startLocalChain } from "@/scripts/local-chain";
import { reverse } from "./reversals";

const RUNS = Number(process.env.RACE_RUNS ?? "20");
const { db } = await integrationSetup();
let kit: ChainKit;

beforeAll(async () => {
  if (!usingRealPostgres) return;
  kit = chainKit(await startLocalChain({ quiet: true }));
  Object.assign(process.env, payoutEnv(kit.chain));
  await setRates(db.prisma, { KES: "0.0077" });
});

afterAll(async () => {
  await kit?.chain.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!usingRealPostgres)("a reversal racing a claim of the same fee entry", () => {
  it(`is claimed then clawed back, or voided and not claimed: never both, never neither (${RUNS} races)`, async () => {
    const outcomes = { clawedBack: 0, voided: 0 };
    for (let run = 0; run < RUNS; run++) {
      const { referrerId, wallet } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
      const fee = await db.prisma.feeEntry.findFirstOrThrow({ where: { referrerId } });
      // Either side may start first, by a little: both orders, and true overlap, happen over the runs.
      const [claimDelay, reverseDelay] = run % 4 === 0 ? [run % 5, 0] : [0, (run * 13) % 100];
      const [claimed, reversed] = await Promise.all([
        pause(claimDelay).then(() => claimReferralFees(db.prisma, referrerId).catch((error: unknown) => error)),
        pause(reverseDelay).then(() =>
          reverse(
            db.prisma,
            [{ reversalId: `race-${randomBytes(6).toString("hex")}`, source: "transaction", sourceId: fee.orderId }],
            "cli:race-test",
          ),
        ),
      ]);
      expect(reversed[0]!.entries).toEqual([{ accountId: referrerId, unit: "KES", amount: dec(-150) }]);

      const after = await db.prisma.feeEntry.findUniqueOrThrow({ where: { id: fee.id } });
      const clawbacks = await db.prisma.feeEntry.findMany({ where: { orderId: fee.orderId, kind: "CLAWBACK" } });
      const paid = (await kit.transfersTo(wallet!)).reduce((total, t) => total + t.value, 0n);
      if (after.voidedAt === null) {
        // Claimed first: paid once, on chain, and clawed back once.
        expect(claimed).toMatchObject({ status: "COMPLETED", amountUsd: dec("1.155") });
        expect(after.claimId).not.toBeNull();
        expect(paid).toBe(1_155_000n);
        expect(clawbacks).toHaveLength(1);
        expect(clawbacks[0]!.amountLocal.toString()).toBe("-150");
        expect(clawbacks[0]!.claimId).toBeNull();
        outcomes.clawedBack++;
      } else {
        // Voided first: the claim found nothing, sent nothing, recorded nothing.
        expect(claimed).toBeInstanceOf(NothingToClaim);
        expect(after.claimId).toBeNull();
        expect(paid).toBe(0n);
        expect(clawbacks).toHaveLength(0);
        expect(await db.prisma.claim.count({ where: { accountId: referrerId } })).toBe(0);
        outcomes.voided++;
      }
    }
    expect(await checkClaimConservation(db.prisma)).toEqual([]);
    console.info(`reversal vs claim, ${RUNS} races: ${JSON.stringify(outcomes)}`);
    expect(outcomes.clawedBack + outcomes.voided).toBe(RUNS);
  }, 1_800_000);
});
