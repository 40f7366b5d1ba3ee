/**
 * Offramp and pay transactions reported by the operator (DESIGN §5, §10): each records its 1.5 % fee and, when
 * the transactor has a referrer, a fee entry of 0.3 % of the amount for that referrer (level 1 only) in the
 * transaction's currency. Idempotent on orderId: a replay records nothing and answers the first result.
 * A batch is written with set-based statements in one transaction: all of it or none of it.
 */
import type { Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { dec, toPlainString, type CurrencyCode, type Decimal } from "@/lib/money";
import { splitFee } from "./rules";

export const MAX_BATCH = 1000;

export interface TransactionEvent {
  orderId: string;
  userId: string;
  type: "offramp" | "pay";
  amount: Decimal;
  currency: CurrencyCode;
}

export interface TransactionResult {
  orderId: string;
  currency: CurrencyCode;
  fee: Decimal;
  referrerFee: Decimal;
  platformFee: Decimal;
  referrerId: string | null;
  duplicate: boolean;
}

export class InvalidTransactionEvent extends DomainError {
  constructor(message: string) {
    super("invalid", "Invalid request", `${message}; nothing in the batch was recorded`);
  }
}

export class UnknownTransactor extends DomainError {
  constructor(userId: string) {
    super("not_found", "User not found", `No user with id ${userId}`);
  }
}

export interface RecordOptions {
  /** The request carried one event rather than a batch: an unknown user is then 404 instead of 400. */
  single?: boolean;
}

/**
 * Records the events, or none of them. Results are in the order of `events`.
 * @throws InvalidTransactionEvent (400) when a new event names an unknown user (in a batch) or a provider
 *   (Perpetual Earnings counts users' transactions); UnknownTransactor (404) for a lone event's unknown user
 */
export async function recordTransactions(
  db: Db,
  events: readonly TransactionEvent[],
  options: RecordOptions = {},
): Promise<TransactionResult[]> {
  if (events.length === 0 || events.length > MAX_BATCH) {
    throw new InvalidTransactionEvent(`a batch holds 1 to ${MAX_BATCH} events`);
  }
  return db.$transaction(
    async (tx) => {
      // The first occurrence of an orderId in the batch is the event; later ones are its replays.
      const firstIndex = new Map<string, number>();
      events.forEach((e, i) => {
        if (!firstIndex.has(e.orderId)) firstIndex.set(e.orderId, i);
      });
      const orderIds = [...firstIndex.keys()];
      const existing = await tx.feeTransaction.findMany({ where: { orderId: { in: orderIds } } });
      const known = new Set(existing.map((t) => t.orderId));
      const fresh = orderIds.filter((id) => !known.has(id)).map((id) => events[firstIndex.get(id)!]!);

      const userIds = [...new Set(fresh.map((e) => e.userId))];
      const accounts = await tx.account.findMany({
        where: { id: { in: userIds } },
        select: { id: true, kind: true, referrerId: true },
      });
      const byId = new Map(accounts.map((a) => [a.id, a]));
      for (const event of fresh) {
        const account = byId.get(event.userId);
        const at = `events.${events.indexOf(event)}.userId`;
        if (!account && options.single) throw new UnknownTransactor(event.userId);
        if (!account) throw new InvalidTransactionEvent(`${at}: no user with id ${event.userId}`);
        if (account.kind !== "USER") {
          throw new InvalidTransactionEvent(`${at}: ${event.userId} is a provider; Perpetual Earnings counts users' transactions`);
        }
      }

      // Inserted in orderId order, so two batches sharing orderIds wait for each other instead of deadlocking.
      const rows = fresh
        .map((event) => {
          const referrerId = byId.get(event.userId)!.referrerId;
          return { event, referrerId, split: splitFee(event.amount, referrerId !== null) };
        })
        .sort((a, b) => (a.event.orderId < b.event.orderId ? -1 : a.event.orderId > b.event.orderId ? 1 : 0));
      // One statement for the whole batch: the transactions, and the referrers' entries for the rows it inserted.
      // Rows it did not insert (already there, or inserted meanwhile by a concurrent request) are replays.
      const inserted = await tx.$queryRaw<{ order_id: string }[]>`
        WITH inserted AS (
          INSERT INTO fee_transaction (order_id, user_id, type, currency, amount, fee, referrer_fee, platform_fee, referrer_id)
          SELECT * FROM unnest(
            ${rows.map((r) => r.event.orderId)}::text[],
            ${rows.map((r) => r.event.userId)}::text[],
            ${rows.map((r) => (r.event.type === "offramp" ? "OFFRAMP" : "PAY"))}::"TransactionType"[],
            ${rows.map((r) => r.event.currency)}::"Currency"[],
            ${rows.map((r) => toPlainString(r.event.amount))}::numeric[],
            ${rows.map((r) => toPlainString(r.split.fee))}::numeric[],
            ${rows.map((r) => toPlainString(r.split.referrerFee))}::numeric[],
            ${rows.map((r) => toPlainString(r.split.platformFee))}::numeric[],
            ${rows.map((r) => r.referrerId)}::text[])
          ON CONFLICT (order_id) DO NOTHING
          RETURNING order_id, user_id, currency, referrer_fee, referrer_id, created_at
        ), entries AS (
          INSERT INTO fee_entry (id, referrer_id, transactor_id, order_id, currency, amount_local, created_at)
          SELECT gen_random_uuid(), referrer_id, user_id, order_id, currency, referrer_fee, created_at
          FROM inserted WHERE referrer_id IS NOT NULL
        )
        SELECT order_id FROM inserted`;
      const insertedIds = new Set(inserted.map((r) => r.order_id));

      const replayed = orderIds.filter((id) => !insertedIds.has(id));
      const stored = new Map(
        (replayed.length === 0 ? [] : await tx.feeTransaction.findMany({ where: { orderId: { in: replayed } } })).map((t) => [
          t.orderId,
          t,
        ]),
      );
      const firstResults = new Map<string, TransactionResult>();
      for (const { event, referrerId, split } of rows) {
        if (insertedIds.has(event.orderId)) {
          firstResults.set(event.orderId, { orderId: event.orderId, currency: event.currency, ...split, referrerId, duplicate: false });
        }
      }
      for (const [orderId, t] of stored) {
        firstResults.set(orderId, {
          orderId,
          currency: t.currency,
          fee: dec(t.fee.toString()),
          referrerFee: dec(t.referrerFee.toString()),
          platformFee: dec(t.platformFee.toString()),
          referrerId: t.referrerId,
          duplicate: true,
        });
      }
      return events.map((event, i) => {
        const first = firstResults.get(event.orderId)!;
        return firstIndex.get(event.orderId) === i ? first : { ...first, duplicate: true };
      });
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}
