/**
 * The operator console's account views: finding an account by anything the operator may have in hand, and one
 * account's page. Every list reads an index (no scan of the ledger or the events, which have no account index on
 * purpose: docs/benchmarks.md); the figures come from the maintained totals, as the stats routes read them.
 */
import "server-only";
import { listAuditLog, type AuditEntry } from "@/lib/audit/log";
import type { Db } from "@/lib/db/client";
import { dec, type Decimal } from "@/lib/money";
import { referralStats, type ReferralStats } from "@/lib/rewards/stats";
import { listSignals, type SignalView } from "@/lib/risk/review";

export interface AccountHit {
  id: string;
  kind: "user" | "provider";
  email: string | null;
  externalId: string | null;
  walletAddress: string | null;
  frozen: boolean;
  createdAt: Date;
  /** What the query matched: the id, the external id, the email, the wallet now, or a wallet it had before. */
  matchedOn: "id" | "externalId" | "email" | "wallet" | "past wallet";
}

const HIT_FIELDS = {
  id: true,
  kind: true,
  email: true,
  externalId: true,
  walletAddress: true,
  frozenAt: true,
  createdAt: true,
} as const;

/** Exact matches on id, external id, email or wallet (now or in the past), each on its unique index. */
export async function searchAccounts(db: Db, query: string): Promise<AccountHit[]> {
  const q = query.trim();
  if (!q || q.length > 254) return [];
  const lower = q.toLowerCase();
  const [byId, byExternal, byEmail, byWallet, pastLinks] = await Promise.all([
    db.account.findUnique({ where: { id: q }, select: HIT_FIELDS }),
    db.account.findUnique({ where: { externalId: q }, select: HIT_FIELDS }),
    db.account.findUnique({ where: { email: lower }, select: HIT_FIELDS }),
    db.account.findUnique({ where: { walletAddress: lower }, select: HIT_FIELDS }),
    db.walletLink.findMany({ where: { address: lower }, select: { accountId: true }, take: 20 }),
  ]);
  const hits = new Map<string, AccountHit>();
  const add = (row: typeof byId, matchedOn: AccountHit["matchedOn"]) => {
    if (!row || hits.has(row.id)) return;
    hits.set(row.id, {
      id: row.id,
      kind: row.kind === "USER" ? "user" : "provider",
      email: row.email,
      externalId: row.externalId,
      walletAddress: row.walletAddress,
      frozen: row.frozenAt !== null,
      createdAt: row.createdAt,
      matchedOn,
    });
  };
  add(byId, "id");
  add(byExternal, "externalId");
  add(byEmail, "email");
  add(byWallet, "wallet");
  const past = pastLinks.map((l) => l.accountId).filter((id) => !hits.has(id));
  if (past.length > 0) {
    const rows = await db.account.findMany({ where: { id: { in: past } }, select: HIT_FIELDS });
    for (const row of rows) add(row, "past wallet");
  }
  return [...hits.values()];
}

export interface AccountPage {
  account: {
    id: string;
    kind: "user" | "provider";
    referrerId: string | null;
    walletAddress: string | null;
    walletChangedAt: Date | null;
    email: string | null;
    externalId: string | null;
    createdAt: Date;
    frozenAt: Date | null;
    frozenReason: string | null;
  };
  stats: ReferralStats;
  referrals: { id: string; referredAt: Date | null }[];
  pastWallets: string[];
  /** Transactions the account made (as the referred user); the referrer's fee comes from these. */
  transactions: {
    orderId: string;
    type: string;
    currency: string;
    amount: Decimal;
    referrerFee: Decimal;
    referrerId: string | null;
    createdAt: Date;
  }[];
  /** Fee entries the account earned as a referrer, claimed or not. */
  feeEntries: {
    id: string;
    orderId: string;
    currency: string;
    amount: Decimal;
    /** fee, clawback or adjustment. */
    kind: string;
    /** Null for an adjustment. */
    transactorId: string | null;
    claimId: string | null;
    /** When it becomes claimable (the hold). */
    availableAt: Date;
    /** Set when its transaction was reversed before any claim took it. */
    voidedAt: Date | null;
    createdAt: Date;
  }[];
  claims: {
    id: string;
    status: "PENDING" | "COMPLETED" | "FAILED";
    amountUsd: Decimal;
    walletAddress: string;
    transactionHash: string | null;
    failureReason: string | null;
    createdAt: Date;
    completedAt: Date | null;
  }[];
  signals: SignalView[];
  audit: AuditEntry[];
}

export const ACCOUNT_PAGE_ROWS = 25;

/** One account's page, or null when there is no such account. */
export async function accountPage(db: Db, accountId: string): Promise<AccountPage | null> {
  const account = await db.account.findUnique({
    where: { id: accountId },
    select: {
      id: true,
      kind: true,
      referrerId: true,
      walletAddress: true,
      walletChangedAt: true,
      email: true,
      externalId: true,
      createdAt: true,
      frozenAt: true,
      frozenReason: true,
    },
  });
  if (!account) return null;
  const take = ACCOUNT_PAGE_ROWS;
  const [stats, referrals, links, transactions, feeEntries, claims, signals, audit] = await Promise.all([
    referralStats(db, accountId, account.kind),
    db.account.findMany({
      where: { referrerId: accountId },
      orderBy: [{ referredAt: "desc" }, { id: "desc" }],
      take,
      select: { id: true, referredAt: true },
    }),
    db.walletLink.findMany({ where: { accountId }, orderBy: { linkedAt: "desc" }, select: { address: true } }),
    db.feeTransaction.findMany({ where: { userId: accountId }, orderBy: { createdAt: "desc" }, take }),
    db.feeEntry.findMany({
      where: { referrerId: accountId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    }),
    db.claim.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, take }),
    listSignals(db, { accountId, status: "all", limit: take }),
    listAuditLog(db, { target: accountId, limit: take }),
  ]);
  return {
    account: { ...account, kind: account.kind === "USER" ? "user" : "provider" },
    stats,
    referrals,
    pastWallets: links.map((l) => l.address).filter((a) => a !== account.walletAddress),
    transactions: transactions.map((t) => ({
      orderId: t.orderId,
      type: t.type,
      currency: t.currency,
      amount: dec(t.amount.toString()),
      referrerFee: dec(t.referrerFee.toString()),
      referrerId: t.referrerId,
      createdAt: t.createdAt,
    })),
    feeEntries: feeEntries.map((e) => ({
      id: e.id,
      orderId: e.orderId,
      currency: e.currency,
      amount: dec(e.amountLocal.toString()),
      kind: e.kind.toLowerCase(),
      transactorId: e.transactorId,
      claimId: e.claimId,
      availableAt: e.availableAt,
      voidedAt: e.voidedAt,
      createdAt: e.createdAt,
    })),
    claims: claims.map((c) => ({
      id: c.id,
      status: c.status,
      amountUsd: dec(c.amountUsd.toString()),
      walletAddress: c.walletAddress,
      transactionHash: c.status === "FAILED" ? null : c.transactionHash,
      failureReason: c.failureReason,
      createdAt: c.createdAt,
      completedAt: c.completedAt,
    })),
    signals: signals.signals,
    audit: audit.entries,
  };
}
