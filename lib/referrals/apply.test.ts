import { describe, expect, it } from "vitest";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { usingRealPostgres } from "@/lib/testing/db";
import { integrationSetup } from "@/lib/testing/integration";
import { createAccount } from "./accounts";
import { applyReferral, applyReferralInTransaction } from "./apply";
import { ReferralCycle } from "./errors";

const { db } = await integrationSetup();

const user = async (referrer?: string) => (await createAccount(db.prisma, { kind: "user", referrer })).account.id;

/** Waits until some transaction of this database is blocked on a row lock. */
async function someoneWaitsOnALock() {
  for (let i = 0; i < 200; i++) {
    const [row] = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (row!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("no transaction ever waited on a lock");
}

/**
 * Runs `apply` while the late apply `holder → code` sits uncommitted, and commits that one only once `apply` is
 * blocked behind it: `apply` found its referrer's root before the root moved and must start over.
 */
async function whileRootMoves(holder: string, code: string, apply: () => Promise<unknown>) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const first = db.prisma.$transaction(
    async (tx) => {
      await applyReferralInTransaction(tx, holder, code);
      held();
      await gate;
    },
    { timeout: 30_000 },
  );
  await holding;
  const second = apply().then(
    (value) => ({ value, error: null }),
    (error: unknown) => ({ value: null, error }),
  );
  await someoneWaitsOnALock();
  release();
  await first;
  return second;
}

describe.skipIf(!usingRealPostgres)("applying while the referrer's root moves", () => {
  it("starts over and refuses the loop the move created", async () => {
    // x ← xc and z ← zr. While z joins under xc (so zr's root becomes x), x applies zr: that is now a loop.
    const x = await user();
    const xc = await user(x);
    const z = await user();
    const zr = await user(z);
    const outcome = await whileRootMoves(z, xc, () => applyReferral(db.prisma, x, zr));
    expect(outcome.error).toBeInstanceOf(ReferralCycle);
    const rows = await db.prisma.account.findMany({ where: { id: { in: [x, z] } } });
    expect(rows.find((r) => r.id === x)!.referrerId).toBeNull();
    expect(rows.find((r) => r.id === z)!.referrerId).toBe(xc);
  });

  it("starts over and records the ancestors the move gave", async () => {
    // r ← c. While r joins under top, n applies c: n's level 3 is top.
    const top = await user();
    const r = await user();
    const c = await user(r);
    const n = await user();
    const outcome = await whileRootMoves(r, top, () => applyReferral(db.prisma, n, c));
    expect(outcome.error).toBeNull();
    const row = await db.prisma.account.findUniqueOrThrow({ where: { id: n } });
    expect([row.referrerId, row.ancestor2Id, row.ancestor3Id]).toEqual([c, r, top]);
    expect(await checkRewardsConservation(db.prisma)).toEqual([]);
  });
});
