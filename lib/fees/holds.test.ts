// Holds: an entry is claimable holdDays after it was recorded, a moment fixed on the entry when it is written.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { dec } from "@/lib/money";
import { createAccount } from "@/lib/referrals/accounts";
import { newWalletAddress, setRates } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { updateProgram } from "@/lib/programs/store";
import { reverse } from "@/lib/corrections/reversals";
import { adjust } from "@/lib/corrections/adjustments";
import { getReferralFeeBalance, listReferralFeeEntries } from "./balance";
import { claimSettings, NothingToClaim, openClaim } from "./claims";
import { recordTransactions } from "./transactions";

const { db } = await integrationSetup();
const DAY = 86_400_000;
// Claims dated weeks ahead still use today's rates.
const SETTINGS = claimSettings({ FX_MAX_AGE_SECONDS: String(365 * 86_400) });
let referrer: string, buyer: string;

beforeAll(async () => {
  await setRates(db.prisma, { KES: "0.0077", NGN: "0.00063" });
  referrer = (await createAccount(db.prisma, { kind: "user", walletAddress: newWalletAddress() })).account.id;
  buyer = (await createAccount(db.prisma, { kind: "user", referrer })).account.id;
});

// Each change is a new version of the program in force, as the operator makes it (PUT /api/programs/perpetual).
const setHoldDays = (days: number) => updateProgram(db.prisma, "perpetual", { holdDays: days }, "cli:test");

afterEach(async () => {
  await setHoldDays(0);
});

const offramp = (orderId: string, amount: number, currency: "KES" | "NGN") =>
  recordTransactions(db.prisma, [{ orderId, userId: buyer, type: "offramp", amount: dec(amount), currency }]);

describe("held entries", () => {
  it("are listed and pending until availableAt, then claimable; a later change of holdDays moves none", async () => {
    await setHoldDays(3);
    await offramp("hold-1", 50_000, "KES"); // 150 KES held 3 days
    await setHoldDays(0);
    await offramp("hold-2", 200_000, "NGN"); // 600 NGN claimable at once

    const now = new Date();
    const balance = await getReferralFeeBalance(db.prisma, referrer, now);
    expect(balance.totalUsd.toFixed()).toBe("0.378");
    expect(balance.entryCount).toBe(1);
    expect(balance.currencyBreakdown.map((c) => c.currency)).toEqual(["NGN"]);
    expect(balance.pendingUsd.toFixed()).toBe("1.155");
    expect(balance.pendingBreakdown).toEqual([{ currency: "KES", amount: dec(150), amountUsd: dec("1.155") }]);

    const { entries } = await listReferralFeeEntries(db.prisma, referrer, {}, now);
    const held = entries.find((e) => e.orderId === "hold-1")!;
    expect(new Date(held.availableAt).getTime() - new Date(held.createdAt).getTime()).toBe(3 * DAY);
    const free = entries.find((e) => e.orderId === "hold-2")!;
    expect(free.availableAt).toBe(free.createdAt);

    // A claim now takes only what is claimable; the held entry stays for later.
    const first = await openClaim(db.prisma, referrer, SETTINGS, now);
    expect(first.amountUsd.toFixed()).toBe("0.378");
    await db.prisma.claim.update({ where: { id: first.id }, data: { status: "COMPLETED", transactionHash: "0x1" } });
    expect((await db.prisma.feeEntry.findFirstOrThrow({ where: { orderId: "hold-1" } })).claimId).toBeNull();

    const later = new Date(now.getTime() + 8 * DAY);
    expect((await getReferralFeeBalance(db.prisma, referrer, later)).totalUsd.toFixed()).toBe("1.155");
    const second = await openClaim(db.prisma, referrer, SETTINGS, later);
    expect(second.amountUsd.toFixed()).toBe("1.155");
  });

  it("a claim with only held entries finds nothing to claim and records nothing", async () => {
    await setHoldDays(5);
    const r2 = (await createAccount(db.prisma, { kind: "user", walletAddress: newWalletAddress() })).account.id;
    const b2 = (await createAccount(db.prisma, { kind: "user", referrer: r2 })).account.id;
    await recordTransactions(db.prisma, [
      { orderId: "hold-3", userId: b2, type: "offramp", amount: dec(50_000), currency: "KES" },
    ]);
    const claims = await db.prisma.claim.count();
    await expect(openClaim(db.prisma, r2, SETTINGS, new Date())).rejects.toBeInstanceOf(NothingToClaim);
    expect(await db.prisma.claim.count()).toBe(claims);
    const paid = await openClaim(db.prisma, r2, SETTINGS, new Date(Date.now() + 5 * DAY + 60_000));
    expect(paid.amountUsd.toFixed()).toBe("1.155");
  });

  it("never holds what is taken back: clawbacks and negative adjustments count at once", async () => {
    await setHoldDays(5);
    const other = (await createAccount(db.prisma, { kind: "user", walletAddress: newWalletAddress() })).account.id;
    await adjust(
      db.prisma,
      { adjustmentId: "hold-neg", accountId: other, unit: "KES", amount: dec(-10), reason: "x" },
      "cli:t",
    );
    await adjust(
      db.prisma,
      { adjustmentId: "hold-pos", accountId: other, unit: "KES", amount: dec(30), reason: "x" },
      "cli:t",
    );
    const balance = await getReferralFeeBalance(db.prisma, other);
    expect(balance.currencyBreakdown).toEqual([{ currency: "KES", amount: dec(-10), amountUsd: dec("-0.077") }]);
    expect(balance.pendingBreakdown).toEqual([{ currency: "KES", amount: dec(30), amountUsd: dec("0.231") }]);
    await expect(openClaim(db.prisma, other, SETTINGS, new Date())).rejects.toBeInstanceOf(NothingToClaim);

    await offramp("hold-4", 10_000, "KES"); // held fee of the first referrer, reversed while held: voided
    const [result] = await reverse(
      db.prisma,
      [{ reversalId: "hold-r4", source: "transaction", sourceId: "hold-4" }],
      "cli:t",
    );
    expect(result!.entries).toEqual([{ accountId: referrer, unit: "KES", amount: dec(-30) }]);
    expect((await db.prisma.feeEntry.findFirstOrThrow({ where: { orderId: "hold-4" } })).voidedAt).not.toBeNull();
  });
});
