// The console's account search and account page, on a real database.
import { describe, expect, it } from "vitest";
import type { OperatorCaller } from "@/lib/auth/caller";
import { replaceWalletByOperator } from "@/lib/auth/wallet";
import { adjust } from "@/lib/corrections/adjustments";
import { reverse } from "@/lib/corrections/reversals";
import { claimSettings, openClaim } from "@/lib/fees/claims";
import { dec } from "@/lib/money";
import { createAccount } from "@/lib/referrals/accounts";
import { freezeAccount } from "@/lib/risk/freeze";
import { addFees, newWalletAddress, referrerWithFees, setRates } from "@/lib/testing/fees";
import { integrationSetup } from "@/lib/testing/integration";
import { accountPage, searchAccounts } from "./accounts";

const { db, auth } = await integrationSetup();
const operator: OperatorCaller = { type: "operator", keyId: "test", keyPrefix: auth.secretKey.slice(0, 12) };

describe("searchAccounts", () => {
  it("finds an account by id, external id, email (any case) or wallet, now or before, and says which", async () => {
    const wallet = newWalletAddress();
    const { account } = await createAccount(db.prisma, {
      kind: "user",
      email: "Ada.Search@example.com",
      externalId: "crm-search-1",
      walletAddress: wallet,
    });
    const only = (hits: Awaited<ReturnType<typeof searchAccounts>>) => hits.map((h) => [h.id, h.matchedOn]);
    expect(only(await searchAccounts(db.prisma, account.id))).toEqual([[account.id, "id"]]);
    expect(only(await searchAccounts(db.prisma, " crm-search-1 "))).toEqual([[account.id, "externalId"]]);
    expect(only(await searchAccounts(db.prisma, "ADA.search@example.com"))).toEqual([[account.id, "email"]]);
    expect(only(await searchAccounts(db.prisma, wallet.toUpperCase().replace("0X", "0x")))).toEqual([
      [account.id, "wallet"],
    ]);

    await replaceWalletByOperator(db.prisma, operator, account.id, newWalletAddress());
    const { account: next } = await createAccount(db.prisma, { kind: "user", walletAddress: wallet });
    expect(only(await searchAccounts(db.prisma, wallet))).toEqual([
      [next.id, "wallet"],
      [account.id, "past wallet"],
    ]);
    expect(await searchAccounts(db.prisma, "nobody")).toEqual([]);
    expect(await searchAccounts(db.prisma, "   ")).toEqual([]);
  });
});

describe("accountPage", () => {
  it("shows the account, its network, transactions, fee entries, signals and audit entries", async () => {
    await setRates(db.prisma, { KES: "0.0077" });
    const { account: referrer } = await createAccount(db.prisma, { kind: "user", walletAddress: newWalletAddress() });
    const { account: referred } = await createAccount(db.prisma, { kind: "user", referrer: referrer.id });
    await addFees(db.prisma, referred.id, [{ amount: "50000", currency: "KES" }]);
    await freezeAccount(db.prisma, { accountId: referrer.id, reason: "Looking", actor: "console:sk_test" });

    const page = (await accountPage(db.prisma, referrer.id))!;
    expect(page.account).toMatchObject({ id: referrer.id, kind: "user", frozenReason: "Looking" });
    expect(page.stats.network.direct).toBe(1);
    expect(page.referrals.map((r) => r.id)).toEqual([referred.id]);
    expect(page.feeEntries.map((f) => [f.amount.toFixed(), f.currency, f.transactorId])).toEqual([
      ["150", "KES", referred.id],
    ]);
    expect(page.audit.map((a) => [a.action, a.actor])).toEqual([["account.frozen", "console:sk_test"]]);

    const theirs = (await accountPage(db.prisma, referred.id))!;
    expect(theirs.transactions.map((t) => [t.amount.toFixed(), t.referrerFee.toFixed(), t.referrerId])).toEqual([
      ["50000", "150", referrer.id],
    ]);
    expect(await accountPage(db.prisma, "usr_missing")).toBeNull();
  });

  it("says what a reversal would do to each transaction's fee and what it did, and lists the adjustments", async () => {
    await setRates(db.prisma, { KES: "0.0077" });
    const { referrerId, referredId } = await referrerWithFees(db.prisma, [{ amount: "50000", currency: "KES" }]);
    await openClaim(db.prisma, referrerId, claimSettings({}), new Date());
    await addFees(db.prisma, referredId, [{ amount: "20000", currency: "KES" }]);

    const byAmount = async () => {
      const page = (await accountPage(db.prisma, referredId))!;
      return Object.fromEntries(page.transactions.map((t) => [t.amount.toFixed(), t]));
    };
    const before = await byAmount();
    expect(before["50000"]).toMatchObject({ fee: { referrerId, state: "claimed" }, reversal: null });
    expect(before["20000"]).toMatchObject({ fee: { referrerId, state: "unclaimed" }, reversal: null });
    expect(before["20000"]!.fee!.amount.toFixed()).toBe("60");

    await reverse(
      db.prisma,
      [before["50000"]!, before["20000"]!].map((t, i) => ({
        reversalId: `rev_page_${i}_${referredId}`,
        source: "transaction" as const,
        sourceId: t.orderId,
      })),
      "console:sk_test",
    );
    const after = await byAmount();
    expect(after["50000"]).toMatchObject({ fee: { state: "claimed" }, reversal: { outcome: "clawed back" } });
    expect(after["20000"]).toMatchObject({ fee: { state: "voided" }, reversal: { outcome: "voided" } });
    const referrer = (await accountPage(db.prisma, referrerId))!;
    expect(referrer.feeEntries.map((f) => [f.kind, f.amount.toFixed(), f.voidedAt !== null])).toEqual([
      ["clawback", "-150", false],
      ["fee", "60", true],
      ["fee", "150", false],
    ]);

    await adjust(
      db.prisma,
      {
        adjustmentId: `adj_page_${referredId}`,
        accountId: referredId,
        unit: "POINTS",
        amount: dec("-2.5"),
        reason: "Farm",
      },
      "console:sk_test",
    );
    expect((await accountPage(db.prisma, referredId))!.adjustments).toMatchObject([
      { adjustmentId: `adj_page_${referredId}`, unit: "POINTS", reason: "Farm", actor: "console:sk_test" },
    ]);
  });
});
