/**
 * The operator console's account views: finding an account by anything the operator may have in hand, and one
 * account's page. Every list reads an index (no scan of the ledger or the events, which have no account index on
 * purpose: docs/benchmarks.md); the figures come from the maintained totals, as the stats routes read them.
 */
import "server-only";
import { listAuditLog, type AuditEntry } from "@/lib/audit/log";
import type { Db } from "@/lib/db/client";
import { FEE_ENTRY_KIND_NAME, type FeeEntryKindName } from "@/lib/fees/balance";
import { dec, type CurrencyCode, type Decimal } from "@/lib/money";
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
    currency: CurrencyCode;
    amount: Decimal;
    referrerFee: Decimal;
    referrerId: string | null;
    createdAt: Date;
    /** The referrer's fee entry, which a reversal voids (unclaimed) or claws back (claimed); null without one. */
    fee: { referrerId: string; amount: Decimal; state: "unclaimed" | "claimed" | "voided" } | null;
    /** Set once it is reversed: when, and what became of its fee. */
    reversal: { at: Date; outcome: "voided" | "clawed back" | "no fee" } | null;
  }[];
  /** Fee entries the account earned as a referrer, claimed or not. */
  feeEntries: {
    id: string;
    orderId: string;
    currency: CurrencyCode;
    amount: Decimal;
    kind: FeeEntryKindName;
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
  /** The operator's adjustments of this account, newest first. */
  adjustments: {
    adjustmentId: string;
    unit: string;
    amount: Decimal;
    reason: string;
    actor: string;
    createdAt: Date;
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
  const [stats, referrals, links, transactions, feeEntries, claims, adjustments, signals, audit] = await Promise.all([
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
    db.adjustment.findMany({ where: { accountId }, orderBy: { createdAt: "desc" }, take }),
    listSignals(db, { accountId, status: "all", limit: take }),
    listAuditLog(db, { target: accountId, limit: take }),
  ]);
  const corrections = await transactionCorrections(
    db,
    transactions.map((t) => t.orderId),
  );
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
      ...corrections(t.orderId),
    })),
    feeEntries: feeEntries.map((e) => ({
      id: e.id,
      orderId: e.orderId,
      currency: e.currency,
      amount: dec(e.amountLocal.toString()),
      kind: FEE_ENTRY_KIND_NAME[e.kind],
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
    adjustments: adjustments.map((a) => ({
      adjustmentId: a.adjustmentId,
      unit: a.unit,
      amount: dec(a.amount.toString()),
      reason: a.reason,
      actor: a.actor,
      createdAt: a.createdAt,
    })),
    signals: signals.signals,
    audit: audit.entries,
  };
}

/**
 * What a reversal would do, or did, to each transaction's fee: its FEE and CLAWBACK entries and its reversal, read
 * by order id on their unique indexes.
 */
async function transactionCorrections(db: Db, orderIds: string[]) {
  const [entries, reversals] = await Promise.all([
    db.feeEntry.findMany({
      where: { orderId: { in: orderIds }, kind: { in: ["FEE", "CLAWBACK"] } },
      select: { orderId: true, kind: true, referrerId: true, amountLocal: true, claimId: true, voidedAt: true },
    }),
    db.reversal.findMany({
      where: { source: "TRANSACTION", sourceId: { in: orderIds } },
      select: { sourceId: true, createdAt: true },
    }),
  ]);
  const fees = new Map(entries.filter((e) => e.kind === "FEE").map((e) => [e.orderId, e]));
  const clawedBack = new Set(entries.filter((e) => e.kind === "CLAWBACK").map((e) => e.orderId));
  const reversedAt = new Map(reversals.map((r) => [r.sourceId, r.createdAt]));
  return (orderId: string): Pick<AccountPage["transactions"][number], "fee" | "reversal"> => {
    const entry = fees.get(orderId);
    const at = reversedAt.get(orderId);
    return {
      fee: entry
        ? {
            referrerId: entry.referrerId,
            amount: dec(entry.amountLocal.toString()),
            state: entry.voidedAt ? "voided" : entry.claimId ? "claimed" : "unclaimed",
          }
        : null,
      reversal: at
        ? { at, outcome: entry?.voidedAt ? "voided" : clawedBack.has(orderId) ? "clawed back" : "no fee" }
        : null,
    };
  };
}
