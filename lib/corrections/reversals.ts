/**
 * Reversals (docs/corrections.md): a refunded, charged-back or fraudulent event is taken back by new rows, never
 * by deleting or editing what it credited.
 *
 * - usage and compute: every ledger row the event produced (the earner's base and each level's share, as its
 *   stored reply names them) gets a REVERSAL row of the negated amount, dated now, through the one ledger writer
 *   (lib/rewards/ledger.ts), so totals, today's history and contributions move by exactly those amounts in the
 *   same statement. Direct bonuses belong to no event and are never touched.
 * - transactions: the referrer's fee entry is voided when no claim holds it, or, when a PENDING or COMPLETED claim
 *   already took it, a CLAWBACK entry of the negated amount joins the referrer's unclaimed entries.
 *
 * A batch is one transaction of a few set-based statements whatever its size: all of it or nothing. A source is
 * reversed once: the reversal table's unique (source, source_id) makes a concurrent second reversal wait for the
 * first and then find it taken (409), and the same reversalId answers the first result.
 */
import "server-only";
import type { Prisma } from "@/lib/db/client";
import { type Db } from "@/lib/db/client";
import { recordAudits, type Actor } from "@/lib/audit/log";
import { DomainError, InvalidRequest } from "@/lib/errors";
import { dec, toPlainString, type Decimal } from "@/lib/money";
import { appendLedger, type LedgerRow } from "@/lib/rewards/ledger";
import { emitEvents } from "@/lib/webhooks/outbox";
import { evaluateReversalSignals } from "@/lib/risk/signals";

export type ReversalSourceName = "usage" | "compute" | "transaction";

export interface ReversalInput {
  reversalId: string;
  source: ReversalSourceName;
  sourceId: string;
  reason?: string;
}

export interface ReversedEntry {
  accountId: string;
  /** POINTS for usage and compute, the transaction's currency for a transaction. */
  unit: string;
  /** Negative: what was taken back. */
  amount: Decimal;
}

export interface ReversalResult {
  reversalId: string;
  source: ReversalSourceName;
  sourceId: string;
  entries: ReversedEntry[];
  duplicate: boolean;
}

export interface ReverseOptions {
  /** The request carried one reversal rather than a batch: an unknown source is then 404 instead of 400. */
  single?: boolean;
}

export class AlreadyReversed extends DomainError {
  constructor(source: ReversalSourceName, sourceId: string, field?: string) {
    super(
      "already_reversed",
      "Already reversed",
      `${field ? `${field}: ` : ""}the ${source} ${sourceId} was already reversed under another reversalId` +
        (field ? "; nothing in the batch was reversed" : ""),
    );
  }
}

export class UnknownSource extends DomainError {
  constructor(source: ReversalSourceName, sourceId: string) {
    super("not_found", `${SOURCE_WORDS[source].what} not found`, `No ${SOURCE_WORDS[source].id} ${sourceId}`);
  }
}

const SOURCE_WORDS: Record<ReversalSourceName, { what: string; id: string }> = {
  usage: { what: "Usage event", id: "usage event with requestId" },
  compute: { what: "Compute event", id: "compute event with eventId" },
  transaction: { what: "Transaction", id: "transaction with orderId" },
};

const SOURCE_CODE = { usage: "USAGE", compute: "COMPUTE", transaction: "TRANSACTION" } as const;
const EVENT_TYPE = { usage: "USAGE", compute: "COMPUTE" } as const;

/** How a reversal's result is stored, and returned again on replay. */
interface StoredResult {
  entries: { accountId: string; unit: string; amount: string }[];
}

interface Planned {
  item: ReversalInput;
  index: number;
  entries: ReversedEntry[];
  ledger: LedgerRow[];
}

const key = (source: string, sourceId: string) => `${source}\u0000${sourceId}`;

/**
 * Reverses the items, or none of them. Results are in the order of `items`; a reversalId repeated within the
 * batch is answered like a replay.
 * @throws UnknownSource (404, alone) or InvalidRequest (400, in a batch) for an event never recorded;
 *   AlreadyReversed (409) for a source reversed before under another reversalId
 */
export async function reverse(
  db: Db,
  items: readonly ReversalInput[],
  actor: Actor,
  options: ReverseOptions = {},
): Promise<ReversalResult[]> {
  if (items.length === 0) return [];
  const single = options.single === true && items.length === 1;
  const field = (i: number, name: string) => (single ? undefined : `body.reversals.${i}.${name}`);

  const first = new Map<string, number>();
  const bySource = new Map<string, number>();
  items.forEach((item, i) => {
    if (!first.has(item.reversalId)) first.set(item.reversalId, i);
    const earlier = bySource.get(key(item.source, item.sourceId));
    if (earlier !== undefined && items[earlier]!.reversalId !== item.reversalId) {
      throw new AlreadyReversed(item.source, item.sourceId, field(i, "sourceId"));
    }
    bySource.set(key(item.source, item.sourceId), i);
  });
  const distinct = [...first.values()].map((i) => ({ item: items[i]!, index: i }));

  const answered = await db.$transaction(
    async (tx) => {
      const stored = await storedResults(
        tx,
        distinct.map((d) => d.item.reversalId),
      );
      const fresh = distinct.filter((d) => !stored.has(d.item.reversalId));
      const planned = await plan(tx, fresh, single);

      // In reversalId order, so two batches sharing ids wait for each other instead of deadlocking.
      planned.sort((a, b) => compare(a.item.reversalId, b.item.reversalId));
      const inserted = planned.length === 0 ? new Set<string>() : await insertReversals(tx, planned, actor);

      const missed = planned.filter((p) => !inserted.has(p.item.reversalId));
      if (missed.length > 0) {
        // Taken meanwhile by a concurrent request: the same reversalId is a replay, another one a second reversal.
        const raced = await storedResults(
          tx,
          missed.map((p) => p.item.reversalId),
        );
        for (const p of missed) {
          const earlier = raced.get(p.item.reversalId);
          if (!earlier || earlier.source !== p.item.source || earlier.sourceId !== p.item.sourceId) {
            throw new AlreadyReversed(p.item.source, p.item.sourceId, field(p.index, "sourceId"));
          }
          stored.set(p.item.reversalId, earlier);
        }
      }
      const applied = planned.filter((p) => inserted.has(p.item.reversalId));
      if (applied.length > 0) await apply(tx, applied, actor);

      const results = new Map<string, ReversalResult>();
      for (const p of applied) {
        results.set(p.item.reversalId, {
          reversalId: p.item.reversalId,
          source: p.item.source,
          sourceId: p.item.sourceId,
          entries: p.entries,
          duplicate: false,
        });
      }
      for (const [id, earlier] of stored) results.set(id, { ...earlier, duplicate: true });
      return results;
    },
    { maxWait: 10_000, timeout: 60_000 },
  );

  return items.map((item, i) => {
    const result = answered.get(item.reversalId)!;
    return first.get(item.reversalId) === i ? result : { ...result, duplicate: true };
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function storedResults(
  tx: Prisma.TransactionClient,
  reversalIds: string[],
): Promise<Map<string, Omit<ReversalResult, "duplicate">>> {
  if (reversalIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ reversal_id: string; source: string; source_id: string; result: StoredResult }[]>`
    SELECT reversal_id, lower(source::text) AS source, source_id, result FROM reversal
    WHERE reversal_id = ANY(${reversalIds}::text[])`;
  return new Map(
    rows.map((r) => [
      r.reversal_id,
      {
        reversalId: r.reversal_id,
        source: r.source as ReversalSourceName,
        sourceId: r.source_id,
        entries: r.result.entries.map((e) => ({ accountId: e.accountId, unit: e.unit, amount: dec(e.amount) })),
      },
    ]),
  );
}

/**
 * What each new reversal takes back, read from the events' stored replies and the transactions' fee entries.
 * An unknown source refuses the whole batch before anything is written.
 */
async function plan(
  tx: Prisma.TransactionClient,
  fresh: { item: ReversalInput; index: number }[],
  single: boolean,
): Promise<Planned[]> {
  const idsOf = (source: ReversalSourceName) =>
    fresh.filter((f) => f.item.source === source).map((f) => f.item.sourceId);
  const usage = idsOf("usage");
  const compute = idsOf("compute");
  const orders = idsOf("transaction");

  const events =
    usage.length + compute.length === 0
      ? []
      : await tx.$queryRaw<
          {
            type: "USAGE" | "COMPUTE";
            external_id: string;
            account_id: string;
            result: { points: string; shares: { accountId: string; level: number; points: string }[] };
          }[]
        >`
          SELECT type::text AS type, external_id, account_id, result FROM reward_event
          WHERE (type = 'USAGE' AND external_id = ANY(${usage}::text[]))
             OR (type = 'COMPUTE' AND external_id = ANY(${compute}::text[]))`;
  const eventBy = new Map(events.map((e) => [key(e.type, e.external_id), e]));

  const transactions =
    orders.length === 0
      ? []
      : await tx.$queryRaw<{ order_id: string; referrer_id: string | null; currency: string; amount: string | null }[]>`
          SELECT t.order_id, e.referrer_id, t.currency::text AS currency, e.amount_local::text AS amount
          FROM fee_transaction t LEFT JOIN fee_entry e ON e.order_id = t.order_id AND e.kind = 'FEE'
          WHERE t.order_id = ANY(${orders}::text[])`;
  const transactionBy = new Map(transactions.map((t) => [t.order_id, t]));

  return fresh.map(({ item, index }) => {
    if (item.source === "transaction") {
      const t = transactionBy.get(item.sourceId);
      if (!t) throw unknown(item, index, single);
      const entries =
        t.referrer_id && t.amount && !dec(t.amount).isZero()
          ? [{ accountId: t.referrer_id, unit: t.currency, amount: dec(t.amount).negated() }]
          : [];
      return { item, index, entries, ledger: [] };
    }
    const event = eventBy.get(key(EVENT_TYPE[item.source], item.sourceId));
    if (!event) throw unknown(item, index, single);
    const sourceEvent = `reversal:${item.source}:${item.sourceId}`;
    const rows: LedgerRow[] = [
      { accountId: event.account_id, level: 0, points: event.result.points },
      ...event.result.shares.map((s) => ({ accountId: s.accountId, level: s.level, points: s.points })),
    ]
      .filter((r) => !dec(r.points).isZero())
      .map((r) => ({
        accountId: r.accountId,
        amount: dec(r.points).negated(),
        kind: "REVERSAL",
        level: r.level,
        sourceEvent,
        originAccountId: event.account_id,
      }));
    return {
      item,
      index,
      entries: rows.map((r) => ({ accountId: r.accountId, unit: "POINTS", amount: r.amount })),
      ledger: rows,
    };
  });
}

function unknown(item: ReversalInput, index: number, single: boolean): DomainError {
  if (single) return new UnknownSource(item.source, item.sourceId);
  return new InvalidRequest(
    `body.reversals.${index}.sourceId: no ${SOURCE_WORDS[item.source].id} ${item.sourceId}; nothing in the batch was reversed`,
  );
}

/** Claims the reversal ids and sources; returns the reversalIds this statement inserted. */
async function insertReversals(tx: Prisma.TransactionClient, planned: Planned[], actor: Actor): Promise<Set<string>> {
  const rows = JSON.stringify(
    planned.map((p) => ({
      r: p.item.reversalId,
      s: SOURCE_CODE[p.item.source],
      i: p.item.sourceId,
      why: p.item.reason ?? null,
      res: {
        entries: p.entries.map((e) => ({ accountId: e.accountId, unit: e.unit, amount: toPlainString(e.amount) })),
      } satisfies StoredResult,
    })),
  );
  const inserted = await tx.$queryRaw<{ reversal_id: string }[]>`
    INSERT INTO reversal (reversal_id, source, source_id, reason, result, actor)
    SELECT r, s::"ReversalSource", i, why, res, ${actor}
    FROM json_to_recordset(${rows}::json) AS t(r text, s text, i text, why text, res jsonb)
    ON CONFLICT DO NOTHING
    RETURNING reversal_id`;
  return new Set(inserted.map((r) => r.reversal_id));
}

/** Writes what the reversals take back, their audit entries and their webhook events, in the caller's transaction. */
async function apply(tx: Prisma.TransactionClient, applied: Planned[], actor: Actor): Promise<void> {
  await appendLedger(
    tx,
    applied.flatMap((p) => p.ledger),
  );

  const orders = applied.filter((p) => p.item.source === "transaction");
  if (orders.length > 0) {
    const json = JSON.stringify(orders.map((p) => ({ o: p.item.sourceId, r: p.item.reversalId })));
    // The fee entries are locked in orderId order first: a claim attaching one of them either committed before
    // (the entry is read as claimed: clawback) or waits and then finds it voided (the claim leaves it out).
    await tx.$executeRaw`
      WITH targets AS (SELECT o, r FROM json_to_recordset(${json}::json) AS t(o text, r text)),
      locked AS (
        SELECT e.id, e.referrer_id, e.transactor_id, e.order_id, e.currency, e.amount_local, e.claim_id, t.r
        FROM fee_entry e JOIN targets t ON t.o = e.order_id
        WHERE e.kind = 'FEE'
        ORDER BY e.order_id
        FOR UPDATE OF e
      ),
      voided AS (
        UPDATE fee_entry e SET voided_at = now(), reversal_id = l.r
        FROM locked l WHERE e.id = l.id AND l.claim_id IS NULL
        RETURNING 1
      )
      INSERT INTO fee_entry (id, kind, referrer_id, transactor_id, order_id, currency, amount_local, available_at, reversal_id, created_at)
      SELECT gen_random_uuid(), 'CLAWBACK', referrer_id, transactor_id, order_id, currency, -amount_local, now(), r, now()
      FROM locked WHERE claim_id IS NOT NULL`;
    // A referral whose transactions are mostly reversed goes to the review queue (docs/api.md, Review queue).
    const transactors = await tx.$queryRaw<{ user_id: string }[]>`
      SELECT DISTINCT user_id FROM fee_transaction WHERE order_id = ANY(${orders.map((p) => p.item.sourceId)}::text[])`;
    await evaluateReversalSignals(
      tx,
      transactors.map((t) => t.user_id),
    );
  }

  await recordAudits(
    tx,
    applied.map((p) => ({
      actor,
      action: "reversal.created",
      target: p.item.sourceId,
      details: {
        reversalId: p.item.reversalId,
        source: p.item.source,
        sourceId: p.item.sourceId,
        reason: p.item.reason ?? null,
        entries: p.entries.map((e) => ({ accountId: e.accountId, unit: e.unit, amount: toPlainString(e.amount) })),
      },
    })),
  );
  await emitEvents(
    tx,
    "reversal.created",
    applied.map((p) => ({ reversalId: p.item.reversalId, source: p.item.source, sourceId: p.item.sourceId })),
  );
}
