/**
 * Usage and compute events: each one credits its earner's base reward and its three levels of referrers in
 * the same request, exactly once (docs/rewards.md, Events).
 *
 * A batch (up to 1,000 events) costs the same few statements whatever its size (see `record`): read the earners
 * and their denormalized ancestors, then one atomic statement that claims the event ids in reward_event and
 * appends the ledger rows of the claimed ones with all their aggregates, then (only for replays) read the stored
 * replies. No explicit transaction: the writing statement is atomic on its own.
 *
 * Lone events (one per request) are group-committed (lib/db/group-commit.ts): concurrent requests' events are
 * written together, in one such batch, while the previous one is being written. A request still answers only
 * once its own event is committed; an idle server writes an event at once.
 */
import "server-only";
import { Prisma, type Db } from "@/lib/db/client";
import { GroupCommit, perClient } from "@/lib/db/group-commit";
import { nowSql } from "@/lib/db/now";
import { DomainError } from "@/lib/errors";
import { dec, toPlainString, type Decimal } from "@/lib/money";
import { programInForce } from "@/lib/programs/store";
import type { RewardsDocument } from "@/lib/programs/schemas";
import { appendLedgerSql, withSlot } from "./ledger";
import { computeEarnings, type ComputeWork } from "./rate-card";
import { distributeShares, usagePoints, type EarnerKind, type UsageEndpoint } from "./rules";
import { metrics } from "@/lib/observability/metrics";

export const MAX_BATCH = 1000;

export interface UsageEvent {
  requestId: string;
  userId: string;
  endpoint: UsageEndpoint;
  tokens?: number;
}

export interface ComputeEvent extends ComputeWork {
  eventId: string;
  providerId: string;
}

export interface ShareResult {
  accountId: string;
  level: number;
  points: Decimal;
}

export interface EventOutcome {
  points: Decimal;
  /** Ordered by level. */
  shares: ShareResult[];
  duplicate: boolean;
}

export type UsageResult = { requestId: string } & EventOutcome;
export type ComputeResult = { eventId: string } & EventOutcome;

export interface RecordOptions {
  /**
   * The request carried one event rather than a batch: an unknown earner is then 404 (no such user or
   * provider) instead of 400 (the batch is invalid).
   */
  single?: boolean;
  /** When the events happened, for a batch recorded after the fact (the demo's month of history); now by default. */
  now?: Date;
}

export class UnknownEarner extends DomainError {
  constructor(single: boolean, what: "user" | "provider", field: string, id: string) {
    if (single) super("not_found", `${what === "user" ? "User" : "Provider"} not found`, `No ${what} with id ${id}`);
    else
      super(
        "invalid_request",
        "Invalid request",
        `${field}: no ${what} with id ${id}; nothing in the batch was recorded`,
      );
  }
}

/** Credits usage points to users (and shares to their referrers). Results are in the order of `events`. */
export async function recordUsageEvents(
  db: Db,
  events: readonly UsageEvent[],
  options: RecordOptions = {},
): Promise<UsageResult[]> {
  const outcomes = await recordItems(
    db,
    "USAGE",
    events.map((e, i) => ({
      id: e.requestId,
      accountId: e.userId,
      field: `events.${i}.userId`,
      price: (rules: RewardsDocument) => usagePoints(rules, e.endpoint, e.tokens),
      payload: e,
    })),
    options,
  );
  return outcomes.map((o, i) => ({ requestId: events[i]!.requestId, ...o }));
}

/** Credits compute earnings to providers (and shares to their referrers), priced by the rate card. */
export async function recordComputeEvents(
  db: Db,
  events: readonly ComputeEvent[],
  options: RecordOptions = {},
): Promise<ComputeResult[]> {
  const outcomes = await recordItems(
    db,
    "COMPUTE",
    events.map((e, i) => ({
      id: e.eventId,
      accountId: e.providerId,
      field: `events.${i}.providerId`,
      price: (rules: RewardsDocument) => computeEarnings(rules, e),
      payload: e,
    })),
    options,
  );
  return outcomes.map((o, i) => ({ eventId: events[i]!.eventId, ...o }));
}

type EventType = "USAGE" | "COMPUTE";
const EARNER_KIND: Record<EventType, EarnerKind> = { USAGE: "USER", COMPUTE: "PROVIDER" };

async function recordItems(db: Db, type: EventType, items: Item[], options: RecordOptions): Promise<EventOutcome[]> {
  if (options.single === true && items.length === 1) return [await loneEvents(db)[type].submit(items[0]!)];
  const outcomes = await record(db, type, items, "refuse", options.now);
  return outcomes.map((o) => {
    if (o instanceof UnknownEarner) throw o;
    return o;
  });
}

interface Item {
  id: string;
  accountId: string;
  field: string;
  /** The base reward by the rules in force when the batch is written. */
  price: (rules: RewardsDocument) => Decimal;
  payload: object;
}

interface StoredResult {
  points: string;
  shares: { accountId: string; level: number; points: string }[];
}

interface Earner {
  id: string;
  kind: EarnerKind;
  referrer_id: string | null;
  ancestor2_id: string | null;
  ancestor3_id: string | null;
}

/**
 * Records a batch in two statements (three with replays), none of them in an explicit transaction:
 *   1. read the earners and their ancestors (a share goes to whoever the ancestors are when the event arrives);
 *   2. one atomic statement: claim the event ids in reward_event (INSERT … ON CONFLICT DO NOTHING RETURNING, ids in
 *      sorted order so overlapping batches cannot deadlock) and append the ledger rows of the claimed ids only,
 *      with every aggregate (appendLedgerSql). A concurrent statement holding one of the ids makes this one wait
 *      for it, then find it taken: parallel replays credit once;
 *   3. the stored replies of the ids that were already claimed.
 * An item whose earner is unknown (or of the other kind) either refuses the whole batch (`refuse`: the first such
 * item's UnknownEarner is thrown, nothing is written) or only itself (`exclude`: its outcome is its
 * UnknownEarner, as for a lone event, and the others are written).
 */
async function record(
  db: Db,
  type: EventType,
  items: Item[],
  unknown: "refuse" | "exclude",
  now?: Date,
): Promise<(EventOutcome | UnknownEarner)[]> {
  if (items.length === 0) return [];
  const kind = EARNER_KIND[type];
  const what = kind === "USER" ? "user" : "provider";
  const prefix = type === "USAGE" ? "usage" : "compute";

  const accountIds = [...new Set(items.map((item) => item.accountId))];
  const earners = await db.$queryRaw<Earner[]>`
    SELECT id, kind::text AS kind, referrer_id, ancestor2_id, ancestor3_id FROM account WHERE id = ANY(${accountIds}::text[])`;
  const byId = new Map(earners.map((e) => [e.id, e]));
  const earnerKnown = items.map((item) => byId.get(item.accountId)?.kind === kind);
  const refused = unknown === "refuse" ? items.find((_, i) => !earnerKnown[i]) : undefined;
  if (refused) throw new UnknownEarner(false, what, refused.field, refused.accountId);

  // Within one batch the first occurrence of an id (whose earner exists) is the event; later ones are its duplicates.
  const firstIndex = new Map<string, number>();
  items.forEach((item, i) => {
    if (earnerKnown[i] && !firstIndex.has(item.id)) firstIndex.set(item.id, i);
  });
  const valid = [...firstIndex.values()].map((i) => items[i]!).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const results = new Map<string, { points: Decimal; shares: ShareResult[]; duplicate: boolean }>();
  if (valid.length > 0) {
    // One version for the whole batch, recorded on each of its ledger rows.
    const program = await programInForce(db, "rewards");
    const stored: StoredResult[] = [];
    const outcomes = valid.map((item) => {
      const earner = byId.get(item.accountId)!;
      const points = item.price(program.document);
      const shares = distributeShares(program.document, kind, points, [
        earner.referrer_id,
        earner.ancestor2_id,
        earner.ancestor3_id,
      ]);
      stored.push({
        points: toPlainString(points),
        shares: shares.map((s) => ({ accountId: s.accountId, level: s.level, points: toPlainString(s.points) })),
      });
      return { points, shares, duplicate: false };
    });

    // The batch travels as one JSON parameter (one native JSON.stringify, where text[] parameters are escaped
    // element by element in JavaScript), and the ledger rows are read back from the stored replies of the ids
    // this statement claims: the base and shares written are by construction the ones the reply names.
    const events = JSON.stringify(
      valid.map((item, i) => ({ x: item.id, a: item.accountId, p: item.payload, r: stored[i] })),
    );
    const statement = (slot: number) =>
      appendLedgerSql(slot, {
        before: Prisma.sql`
          claimed AS (
            INSERT INTO reward_event (type, external_id, account_id, payload, result, created_at)
            SELECT ${type}::"EventType", x, a, p, r, ${nowSql(now)}
            FROM json_to_recordset(${events}::json) AS t(x text, a text, p jsonb, r jsonb)
            ON CONFLICT (type, external_id) DO NOTHING
            RETURNING ${`${prefix}:`} || external_id AS source_event, external_id, account_id, result
          )`,
        rows: Prisma.sql`
          SELECT account_id, 'POINTS'::"Unit", (result->>'points')::numeric, 'BASE'::"LedgerKind", 0, source_event, account_id,
                 ${program.version}::int
          FROM claimed
          UNION ALL
          SELECT s->>'accountId', 'POINTS'::"Unit", (s->>'points')::numeric, 'SHARE'::"LedgerKind", (s->>'level')::int,
                 source_event, account_id, ${program.version}::int
          FROM claimed, jsonb_array_elements(result->'shares') AS s`,
        versioned: true,
        select: Prisma.sql`SELECT external_id FROM claimed`,
        now,
      });
    const claimed = await withSlot((slot) => db.$queryRaw<{ external_id: string }[]>(statement(slot)));
    const isNew = new Set(claimed.map((c) => c.external_id));
    let rowsWritten = 0;
    valid.forEach((item, i) => {
      if (!isNew.has(item.id)) return;
      results.set(item.id, outcomes[i]!);
      rowsWritten += 1 + outcomes[i]!.shares.length;
    });
    metrics().events.inc({ kind: prefix }, isNew.size);
    metrics().ledgerRows.inc(rowsWritten);

    const replayed = valid.filter((i) => !isNew.has(i.id)).map((i) => i.id);
    if (replayed.length > 0) {
      const earlier = await db.$queryRaw<{ external_id: string; result: StoredResult }[]>`
        SELECT external_id, result FROM reward_event WHERE type = ${type}::"EventType" AND external_id = ANY(${replayed}::text[])`;
      for (const { external_id, result } of earlier) {
        results.set(external_id, {
          points: dec(result.points),
          shares: result.shares.map((s) => ({ accountId: s.accountId, level: s.level, points: dec(s.points) })),
          duplicate: true,
        });
      }
    }
  }

  return items.map((item, i) => {
    if (!earnerKnown[i]) return new UnknownEarner(true, what, item.field, item.accountId);
    const outcome = results.get(item.id)!;
    return firstIndex.get(item.id) === i ? outcome : { ...outcome, duplicate: true };
  });
}

/** Lone events of each type share statements while writes are in flight (lib/db/group-commit.ts). */
const loneEvents = perClient((db: Db) => ({
  USAGE: new GroupCommit<Item, EventOutcome>((items) => record(db, "USAGE", items, "exclude"), MAX_BATCH),
  COMPUTE: new GroupCommit<Item, EventOutcome>((items) => record(db, "COMPUTE", items, "exclude"), MAX_BATCH),
}));
