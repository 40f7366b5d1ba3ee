/**
 * Offramp and pay transactions reported by the operator (docs/perpetual-earnings.md): each records its 1.5 % fee and,
 * when the transactor has a referrer, a fee entry of 0.3 % of the amount for that referrer (level 1 only) in the
 * transaction's currency. Idempotent on orderId: a replay records nothing and answers the first result. A batch is
 * written by one set-based statement: all of it or none of it.
 */
import "server-only";
import { Prisma, type Db } from "@/lib/db/client";
import { GroupCommit, perClient } from "@/lib/db/group-commit";
import { nowSql } from "@/lib/db/now";
import { DomainError } from "@/lib/errors";
import { dec, toPlainString, type CurrencyCode, type Decimal } from "@/lib/money";
import { metrics } from "@/lib/observability/metrics";
import { newEventId } from "@/lib/webhooks/outbox";
import { programInForce } from "@/lib/programs/store";
import { availableAtSql } from "./holds";
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
  constructor(message: string, inBatch = true) {
    super("invalid_request", "Invalid request", inBatch ? `${message}; nothing in the batch was recorded` : message);
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
  /** When the transactions happened, for a batch recorded after the fact (the demo's month); now by default. */
  now?: Date;
}

/**
 * Records the events, or none of them. Results are in the order of `events`. A lone event (`single`) is
 * group-committed with other requests' lone events (lib/db/group-commit.ts).
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
  if (options.single === true && events.length === 1) return [await loneTransactions(db).submit(events[0]!)];
  const outcomes = await record(db, events, "refuse", options.now);
  return outcomes.map((o) => {
    if (o instanceof Error) throw o;
    return o;
  });
}

const loneTransactions = perClient(
  (db: Db) =>
    new GroupCommit<TransactionEvent, TransactionResult>((events) => record(db, events, "exclude"), MAX_BATCH),
);

interface Transactor {
  id: string;
  kind: string;
  referrerId: string | null;
}

/**
 * Writes a batch in one statement, read-only queries around it and no explicit transaction: the statement
 * inserting the transactions and the referrers' entries is atomic on its own.
 *   1. the orderIds already recorded (a replay answers the first result whatever its body says);
 *   2. the new events' users and their referrers;
 *   3. the transactions and the entries, ON CONFLICT (order_id) DO NOTHING: an orderId a concurrent request
 *      recorded meanwhile is a replay too;
 *   4. the stored results of the replays.
 * A new event whose user is unknown or a provider either refuses the whole batch (`refuse`: its error is thrown,
 * nothing is written) or only itself (`exclude`, lone events written together: its outcome is its error, as if
 * it had been sent alone, and the others are written).
 */
async function record(
  db: Db,
  events: readonly TransactionEvent[],
  invalid: "refuse" | "exclude",
  now?: Date,
): Promise<(TransactionResult | DomainError)[]> {
  const orderIds = [...new Set(events.map((e) => e.orderId))];
  const known = new Set(
    (await db.feeTransaction.findMany({ where: { orderId: { in: orderIds } }, select: { orderId: true } })).map(
      (t) => t.orderId,
    ),
  );
  const userIds = [...new Set(events.filter((e) => !known.has(e.orderId)).map((e) => e.userId))];
  const byId = new Map<string, Transactor>(
    (userIds.length === 0
      ? []
      : await db.account.findMany({
          where: { id: { in: userIds } },
          select: { id: true, kind: true, referrerId: true },
        })
    ).map((a) => [a.id, a]),
  );
  // One version for the whole batch, recorded on each transaction and entry.
  const program = await programInForce(db, "perpetual");
  const problems = events.map((event, i): DomainError | null => {
    if (known.has(event.orderId)) return null;
    if (!program.document.currencies.includes(event.currency)) {
      const field = invalid === "refuse" ? `events.${i}.currency` : "currency";
      return new InvalidTransactionEvent(
        `${field}: ${event.currency} is not a currency of the program (${program.document.currencies.join(", ")})`,
        invalid === "refuse",
      );
    }
    const account = byId.get(event.userId);
    const field = invalid === "refuse" ? `events.${i}.userId` : "userId";
    if (!account)
      return invalid === "exclude"
        ? new UnknownTransactor(event.userId)
        : new InvalidTransactionEvent(`${field}: no user with id ${event.userId}`);
    if (account.kind !== "USER") {
      return new InvalidTransactionEvent(
        `${field}: ${event.userId} is a provider; Perpetual Earnings counts users' transactions`,
        invalid === "refuse",
      );
    }
    return null;
  });
  const refused = invalid === "refuse" ? problems.find((p) => p !== null) : undefined;
  if (refused) throw refused;

  // The first valid occurrence of an orderId is the event; later ones are its replays.
  const firstIndex = new Map<string, number>();
  events.forEach((e, i) => {
    if (problems[i] === null && !firstIndex.has(e.orderId)) firstIndex.set(e.orderId, i);
  });
  // Inserted in orderId order, so two batches sharing orderIds wait for each other instead of deadlocking.
  const rows = [...firstIndex.values()]
    .map((i) => events[i]!)
    .filter((event) => !known.has(event.orderId))
    .map((event) => {
      const referrerId = byId.get(event.userId)!.referrerId;
      return { event, referrerId, split: splitFee(program.document, event.amount, referrerId !== null) };
    })
    .sort((a, b) => (a.event.orderId < b.event.orderId ? -1 : a.event.orderId > b.event.orderId ? 1 : 0));

  // One statement for the whole batch: the transactions, the referrers' entries for the rows it inserted and their
  // fee.accrued events (docs/webhooks.md).
  // Rows it did not insert (already there, or inserted meanwhile by a concurrent request) are replays.
  const inserted =
    rows.length === 0
      ? []
      : await db.$queryRaw<{ order_id: string }[]>`
        WITH inserted AS (
          INSERT INTO fee_transaction (order_id, user_id, type, currency, amount, fee, referrer_fee, platform_fee, referrer_id,
                                       created_at, program_version)
          SELECT *, ${nowSql(now)}, ${program.version}::int FROM unnest(
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
          RETURNING order_id, user_id, currency, referrer_fee, referrer_id, created_at, program_version
        ), entries AS (
          INSERT INTO fee_entry (id, referrer_id, transactor_id, order_id, currency, amount_local, available_at, created_at, program_version)
          SELECT gen_random_uuid(), referrer_id, user_id, order_id, currency, referrer_fee,
                 ${availableAtSql(Prisma.sql`created_at`, program.document.holdDays)}, created_at, program_version
          FROM inserted WHERE referrer_id IS NOT NULL
        ), announced AS (
          INSERT INTO webhook_event (id, type, data)
          SELECT ids.event_id, 'fee.accrued', jsonb_build_object(
            'orderId', i.order_id, 'referrerId', i.referrer_id, 'currency', i.currency::text,
            'amount', trim_scale(i.referrer_fee))
          FROM inserted i
          JOIN unnest(${rows.map((r) => r.event.orderId)}::text[], ${rows.map(() => newEventId())}::text[])
            AS ids (order_id, event_id) ON ids.order_id = i.order_id
          WHERE i.referrer_id IS NOT NULL
        )
        SELECT order_id FROM inserted`;
  const insertedIds = new Set(inserted.map((r) => r.order_id));
  metrics().events.inc({ kind: "transaction" }, insertedIds.size);

  const firstResults = new Map<string, TransactionResult>();
  for (const { event, referrerId, split } of rows) {
    if (insertedIds.has(event.orderId)) {
      firstResults.set(event.orderId, {
        orderId: event.orderId,
        currency: event.currency,
        ...split,
        referrerId,
        duplicate: false,
      });
    }
  }
  const replayed = [...firstIndex.keys()].filter((id) => !insertedIds.has(id));
  if (replayed.length > 0) {
    for (const t of await db.feeTransaction.findMany({ where: { orderId: { in: replayed } } })) {
      firstResults.set(t.orderId, {
        orderId: t.orderId,
        currency: t.currency,
        fee: dec(t.fee.toString()),
        referrerFee: dec(t.referrerFee.toString()),
        platformFee: dec(t.platformFee.toString()),
        referrerId: t.referrerId,
        duplicate: true,
      });
    }
  }
  return events.map((event, i) => {
    const problem = problems[i];
    if (problem) return problem;
    const first = firstResults.get(event.orderId)!;
    return firstIndex.get(event.orderId) === i ? first : { ...first, duplicate: true };
  });
}
