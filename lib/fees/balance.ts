/**
 * What a referrer sees (docs/perpetual-earnings.md, Reading): unclaimed fees per currency with their exact USD value at
 * the current rates, the entries themselves, and past claims. Claimed entries are attached to their claim and so no
 * longer appear here; they stay in the database as the claim's audit trail.
 */
import "server-only";
import type { Db } from "@/lib/db/client";
import { decodePageCursor, encodePageCursor } from "@/lib/db/page-cursor";
import { loadRates } from "@/lib/fx/rates";
import { CURRENCIES, dec, sum, ZERO, type CurrencyCode, type Decimal } from "@/lib/money";
import { programInForce } from "@/lib/programs/store";
import { nextClaimDate, usdValue } from "./rules";
import { walletHoldUntil } from "./wallet-hold";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface CurrencyAmount {
  currency: CurrencyCode;
  amount: Decimal;
  /** Exact; 0 when the currency has no rate yet (then it is listed in `unpricedCurrencies`). */
  amountUsd: Decimal;
}

export interface ReferralFeeBalance {
  totalUsd: Decimal;
  currencyBreakdown: CurrencyAmount[];
  entryCount: number;
  /**
   * False within the 7-day cooldown, while a claim is being paid, after a wallet replacement (walletHoldUntil), or
   * while the account is frozen.
   */
  canClaim: boolean;
  /** The operator froze the account's claims (it keeps earning). */
  frozen: boolean;
  nextClaimDate: string | null;
  claimInProgress: boolean;
  /** While claims wait after a wallet replacement: when they resume (ISO); else null. */
  walletHoldUntil: string | null;
  /** Currencies with fees but no exchange rate: not counted in totalUsd. */
  unpricedCurrencies: CurrencyCode[];
  /** Entries still on hold (availableAt in the future): not in totalUsd, currencyBreakdown or entryCount. */
  pendingUsd: Decimal;
  pendingBreakdown: CurrencyAmount[];
}

/** A fee entry's kind as the API and the pages name it. */
export const FEE_ENTRY_KIND_NAME = { FEE: "fee", CLAWBACK: "clawback", ADJUSTMENT: "adjustment" } as const;
export type FeeEntryKindName = (typeof FEE_ENTRY_KIND_NAME)[keyof typeof FEE_ENTRY_KIND_NAME];

export interface ReferralFeeEntry {
  id: string;
  /** Negative for a clawback; either sign for an adjustment (docs/corrections.md). */
  amountLocal: Decimal;
  currency: CurrencyCode;
  /** null for an adjustment, which no transaction produced. */
  transactorUserId: string | null;
  orderId: string;
  createdAt: string;
  kind: FeeEntryKindName;
  /** When it becomes claimable: createdAt + the holdDays in force when it was recorded. */
  availableAt: string;
}

export interface ClaimHistoryItem {
  id: string;
  userId: string;
  amountKes: 0;
  amountUsd: Decimal;
  exchangeRate: 0;
  transactionHash: string | null;
  status: "PENDING" | "COMPLETED" | "FAILED";
  createdAt: string;
  completedAt: string | null;
}

/** Entries no claim holds and no reversal voided: what the balance nets per currency, clawbacks included. */
export const UNCLAIMED = { claimId: null, voidedAt: null } as const;

interface Totals {
  totalUsd: Decimal;
  currencyBreakdown: CurrencyAmount[];
  entryCount: number;
  unpricedCurrencies: CurrencyCode[];
}

/** Unclaimed entries claimable at `now` (`held: false`) or still on hold (`held: true`). */
async function unclaimedTotals(db: Db, accountId: string, now: Date, held = false): Promise<Totals> {
  const [groups, rates] = await Promise.all([
    db.feeEntry.groupBy({
      by: ["currency"],
      where: { referrerId: accountId, ...UNCLAIMED, availableAt: held ? { gt: now } : { lte: now } },
      _sum: { amountLocal: true },
      _count: { _all: true },
    }),
    loadRates(db),
  ]);
  const currencyBreakdown: CurrencyAmount[] = [];
  const unpricedCurrencies: CurrencyCode[] = [];
  let entryCount = 0;
  for (const currency of CURRENCIES) {
    const group = groups.find((g) => g.currency === currency);
    if (!group) continue;
    entryCount += group._count._all;
    const amount = dec(String(group._sum.amountLocal));
    const rate = rates.get(currency);
    if (!rate) unpricedCurrencies.push(currency);
    currencyBreakdown.push({ currency, amount, amountUsd: rate ? usdValue(amount, rate.usdRate) : ZERO });
  }
  return {
    totalUsd: sum(currencyBreakdown.map((c) => c.amountUsd)),
    currencyBreakdown,
    entryCount,
    unpricedCurrencies,
  };
}

export async function getReferralFeeBalance(
  db: Db,
  accountId: string,
  now: Date = new Date(),
): Promise<ReferralFeeBalance> {
  const [totals, held, pending, lastCompleted, account, perpetual] = await Promise.all([
    unclaimedTotals(db, accountId, now),
    unclaimedTotals(db, accountId, now, true),
    db.claim.findFirst({ where: { accountId, status: "PENDING" }, select: { id: true } }),
    db.claim.findFirst({
      where: { accountId, status: "COMPLETED" },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    }),
    db.account.findUnique({ where: { id: accountId }, select: { walletChangedAt: true, frozenAt: true } }),
    programInForce(db, "perpetual"),
  ]);
  const next = lastCompleted ? nextClaimDate(perpetual.document, lastCompleted.createdAt) : null;
  const coolingDown = next !== null && now < next;
  const holdUntil = walletHoldUntil(account?.walletChangedAt ?? null, now);
  const frozen = (account?.frozenAt ?? null) !== null;
  return {
    totalUsd: totals.totalUsd,
    currencyBreakdown: totals.currencyBreakdown,
    entryCount: totals.entryCount,
    canClaim: !coolingDown && !pending && !holdUntil && !frozen,
    frozen,
    nextClaimDate: coolingDown ? next.toISOString() : null,
    claimInProgress: pending !== null,
    walletHoldUntil: holdUntil?.toISOString() ?? null,
    unpricedCurrencies: totals.unpricedCurrencies,
    pendingUsd: held.totalUsd,
    pendingBreakdown: held.currencyBreakdown,
  };
}

export interface Page {
  limit?: number;
  cursor?: string;
}

/** Newest first, before the cursor's row when one is given. */
function pageWhere(cursor: string | undefined) {
  if (!cursor) return {};
  const { at, id } = decodePageCursor(cursor, /^[0-9a-f-]{36}$/);
  return { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] };
}

function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
}

/** Every unclaimed entry, held ones included (with their availableAt); the totals count the claimable ones. */
export async function listReferralFeeEntries(
  db: Db,
  accountId: string,
  page: Page = {},
  now: Date = new Date(),
): Promise<Omit<Totals, "entryCount"> & { entries: ReferralFeeEntry[]; nextCursor: string | null }> {
  const take = pageSize(page.limit);
  const [totals, rows] = await Promise.all([
    unclaimedTotals(db, accountId, now),
    db.feeEntry.findMany({
      where: { referrerId: accountId, ...UNCLAIMED, ...pageWhere(page.cursor) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: take + 1,
    }),
  ]);
  const shown = rows.slice(0, take);
  const last = shown[shown.length - 1];
  return {
    totalUsd: totals.totalUsd,
    currencyBreakdown: totals.currencyBreakdown,
    unpricedCurrencies: totals.unpricedCurrencies,
    entries: shown.map((row) => ({
      id: row.id,
      amountLocal: dec(row.amountLocal.toString()),
      currency: row.currency,
      transactorUserId: row.transactorId,
      orderId: row.orderId,
      createdAt: row.createdAt.toISOString(),
      kind: FEE_ENTRY_KIND_NAME[row.kind],
      availableAt: row.availableAt.toISOString(),
    })),
    nextCursor: rows.length > take && last ? encodePageCursor(last.createdAt, last.id) : null,
  };
}

export async function listClaims(
  db: Db,
  accountId: string,
  page: Page = {},
): Promise<{ claims: ClaimHistoryItem[]; nextCursor: string | null }> {
  const take = pageSize(page.limit);
  const rows = await db.claim.findMany({
    where: { accountId, ...pageWhere(page.cursor) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: {
      id: true,
      accountId: true,
      amountUsd: true,
      transactionHash: true,
      status: true,
      createdAt: true,
      completedAt: true,
    },
  });
  const shown = rows.slice(0, take);
  const last = shown[shown.length - 1];
  return {
    claims: shown.map((row) => ({
      id: row.id,
      userId: row.accountId,
      amountKes: 0,
      amountUsd: dec(row.amountUsd.toString()),
      exchangeRate: 0,
      transactionHash: row.status === "FAILED" ? null : row.transactionHash,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
      completedAt: row.status === "COMPLETED" && row.completedAt ? row.completedAt.toISOString() : null,
    })),
    nextCursor: rows.length > take && last ? encodePageCursor(last.createdAt, last.id) : null,
  };
}
