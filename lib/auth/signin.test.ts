import { describe, expect, it } from "vitest";
import { createAccount } from "@/lib/referrals/accounts";
import { integrationSetup } from "@/lib/testing/integration";
import { accountForPassword, accountForWallet, EmailTaken, signUpWithPassword } from "./signin";
import { linkFirstWallet, WalletTaken } from "./wallet";

const { db } = await integrationSetup();
const wallet = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as `0x${string}`;

describe("email sign-up and sign-in", () => {
  it("creates an account with a hashed password, applying the referral code and its bonus", async () => {
    const { account: referrer } = await createAccount(db.prisma, { kind: "user" });
    const created = await signUpWithPassword(db.prisma, {
      email: " Ada@Example.com ",
      password: "a long enough password",
      kind: "user",
      referrer: referrer.id,
    });
    const row = await db.prisma.account.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.email).toBe("ada@example.com");
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.referrerId).toBe(referrer.id);
    const bonus = await db.prisma.ledgerEntry.findFirstOrThrow({
      where: { accountId: referrer.id, kind: "DIRECT_BONUS" },
    });
    expect(bonus.amount.toString()).toBe("25");

    expect(await accountForPassword(db.prisma, "ADA@example.com", "a long enough password")).toEqual({
      id: created.id,
      kind: "user",
    });
    expect(await accountForPassword(db.prisma, "ada@example.com", "wrong password")).toBeNull();
    expect(await accountForPassword(db.prisma, "nobody@example.com", "a long enough password")).toBeNull();
  });

  it("refuses a taken email, a short password, and a bad referral code without creating anything", async () => {
    await signUpWithPassword(db.prisma, { email: "taken@example.com", password: "0123456789", kind: "provider" });
    await expect(
      signUpWithPassword(db.prisma, { email: "taken@example.com", password: "0123456789", kind: "provider" }),
    ).rejects.toBeInstanceOf(EmailTaken);
    await expect(
      signUpWithPassword(db.prisma, { email: "short@example.com", password: "short", kind: "user" }),
    ).rejects.toThrow(/at least 10/);
    await expect(
      signUpWithPassword(db.prisma, {
        email: "lost@example.com",
        password: "0123456789",
        kind: "user",
        referrer: "usr_doesnotexist",
      }),
    ).rejects.toMatchObject({ code: "referral_code_not_found" });
    expect(await db.prisma.account.count({ where: { email: { in: ["short@example.com", "lost@example.com"] } } })).toBe(
      0,
    );
  });
});

describe("email sign-up tells nobody which emails have accounts", () => {
  it("checks the referral code before the email, so a taken email and a new one are refused alike for it", async () => {
    await signUpWithPassword(db.prisma, { email: "known@example.com", password: "0123456789", kind: "user" });
    const { account: provider } = await createAccount(db.prisma, { kind: "provider" });
    for (const email of ["known@example.com", "unknown@example.com"]) {
      await expect(
        signUpWithPassword(db.prisma, { email, password: "0123456789", kind: "user", referrer: "usr_doesnotexist" }),
      ).rejects.toMatchObject({ code: "referral_code_not_found" });
      await expect(
        signUpWithPassword(db.prisma, { email, password: "0123456789", kind: "user", referrer: provider.id }),
      ).rejects.toMatchObject({ code: "referral_kind_mismatch" });
    }
    expect(await db.prisma.account.count({ where: { email: "unknown@example.com" } })).toBe(0);
  });
});

describe("wallet sign-in", () => {
  it("creates an account of the chosen kind for a new wallet, and finds it again next time", async () => {
    const first = await accountForWallet(db.prisma, wallet(1), { kind: "provider" });
    expect(first.id).toMatch(/^prov_/);
    expect(await accountForWallet(db.prisma, wallet(1), { kind: "user" })).toEqual(first);
  });

  it("links a new wallet to the account already signed in", async () => {
    const { account } = await createAccount(db.prisma, { kind: "user", email: "linker@example.com" });
    expect(await accountForWallet(db.prisma, wallet(2), { kind: "user", signedInAccountId: account.id })).toEqual({
      id: account.id,
      kind: "user",
    });
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id: account.id } })).walletAddress).toBe(wallet(2));
  });

  it("refuses to link a wallet that belongs to another account", async () => {
    const { account: other } = await createAccount(db.prisma, { kind: "user" });
    await expect(linkFirstWallet(db.prisma, other.id, wallet(1))).rejects.toBeInstanceOf(WalletTaken);
    await linkFirstWallet(db.prisma, other.id, wallet(3));
    await linkFirstWallet(db.prisma, other.id, wallet(3));
  });

  it("never replaces the signed-in account's wallet with a new one: that needs the linked wallet's approval", async () => {
    const { account } = await createAccount(db.prisma, { kind: "user", walletAddress: wallet(4) });
    await expect(
      accountForWallet(db.prisma, wallet(5), { kind: "user", signedInAccountId: account.id }),
    ).rejects.toMatchObject({ code: "current_wallet_approval_required" });
    const row = await db.prisma.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(row.walletAddress).toBe(wallet(4));
    expect(await db.prisma.account.count({ where: { walletAddress: wallet(5) } })).toBe(0);
  });
});
