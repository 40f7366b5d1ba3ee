/**
 * The ceiling the app is compared with: the same rows written by one client with the most direct SQL there is
 * without COPY (one multi-row INSERT … SELECT FROM unnest per table per 1,000 events, prepared by name), into the
 * same tables with the same indexes, in the same run. Two ceilings:
 *
 * - "ledger": only the ledger rows (base + shares), one INSERT per 1,000 events, autocommit; deleted again
 *   afterwards, since without their events and aggregates they would unbalance the books;
 * - "write set": everything the app writes for those events, one transaction per 1,000 events: reward_event
 *   (payload and stored reply), ledger rows, account_total and account_daily upserts, referral_contribution and
 *   active_referral_day upserts — the app's own statements, minus its HTTP, validation, ORM and earner read.
 */
import { randomInt } from "node:crypto";
import pg from "pg";
import { SLOTS } from "@/lib/rewards/ledger";
import { RewardsDocument } from "@/lib/programs/schemas";
import { distributeShares, usagePoints } from "@/lib/rewards/rules";
import { toPlainString, type Decimal } from "@/lib/money";
import { randomUsageEvent, type Earner } from "./events";

export type Ceiling = "ledger" | "write set";

export interface CeilingResult {
  ceiling: Ceiling;
  seconds: number;
  events: number;
  ledgerRows: number;
  eventsPerSecond: number;
  ledgerRowsPerSecond: number;
}

interface Row {
  accountId: string;
  amount: Decimal;
  kind: "BASE" | "SHARE";
  level: number;
  sourceEvent: string;
  origin: string;
}

const INSERT_LEDGER = `
  INSERT INTO ledger_entry (account_id, unit, amount, kind, level, source_event, origin_account_id, program_version)
  SELECT a, 'POINTS'::"Unit", amt, k::"LedgerKind", l, s, o, $7::int
  FROM unnest($1::text[], $2::numeric[], $3::text[], $4::int[], $5::text[], $6::text[]) AS t(a, amt, k, l, s, o)`;

const INSERT_EVENTS = `
  INSERT INTO reward_event (type, external_id, account_id, payload, result)
  SELECT 'USAGE'::"EventType", x, a, p, r FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::jsonb[]) AS t(x, a, p, r)`;

const UPSERT_TOTALS = `
  WITH u AS (SELECT * FROM unnest($1::text[], $2::int[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[])
             AS u(a, s, b, x1, x2, x3)),
  totals AS (
    INSERT INTO account_total AS t (account_id, unit, slot, base, level1, level2, level3)
    SELECT a, 'POINTS'::"Unit", s, b, x1, x2, x3 FROM u
    ON CONFLICT (account_id, unit, slot) DO UPDATE SET
      base = t.base + EXCLUDED.base, level1 = t.level1 + EXCLUDED.level1, level2 = t.level2 + EXCLUDED.level2, level3 = t.level3 + EXCLUDED.level3
    RETURNING 1)
  INSERT INTO account_daily AS t (account_id, day, unit, slot, base, level1, level2, level3)
  SELECT a, (now() AT TIME ZONE 'UTC')::date, 'POINTS'::"Unit", s, b, x1, x2, x3 FROM u
  ON CONFLICT (account_id, day, unit, slot) DO UPDATE SET
    base = t.base + EXCLUDED.base, level1 = t.level1 + EXCLUDED.level1, level2 = t.level2 + EXCLUDED.level2, level3 = t.level3 + EXCLUDED.level3`;

const UPSERT_CONTRIBUTIONS = `
  WITH up AS (
    INSERT INTO referral_contribution AS c (beneficiary_id, origin_id, level, unit, total, last_earned_at)
    SELECT b, o, l, 'POINTS'::"Unit", amt, now() FROM unnest($1::text[], $2::text[], $3::int[], $4::numeric[]) AS u(b, o, l, amt)
    ON CONFLICT (beneficiary_id, origin_id, unit) DO UPDATE SET
      total = c.total + EXCLUDED.total, previous_earned_at = c.last_earned_at, last_earned_at = EXCLUDED.last_earned_at
    RETURNING beneficiary_id, (previous_earned_at AT TIME ZONE 'UTC')::date AS previous_day),
  moves AS (
    SELECT beneficiary_id, (now() AT TIME ZONE 'UTC')::date AS day, 1 AS delta FROM up
    WHERE previous_day IS DISTINCT FROM (now() AT TIME ZONE 'UTC')::date
    UNION ALL
    SELECT beneficiary_id, previous_day, -1 FROM up WHERE previous_day IS NOT NULL AND previous_day <> (now() AT TIME ZONE 'UTC')::date)
  INSERT INTO active_referral_day AS a (beneficiary_id, day, slot, count)
  SELECT beneficiary_id, day, floor(random() * ${SLOTS})::int, SUM(delta) FROM moves
  GROUP BY beneficiary_id, day ORDER BY beneficiary_id COLLATE "C", day
  ON CONFLICT (beneficiary_id, day, slot) DO UPDATE SET count = a.count + EXCLUDED.count`;

const byKey = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Writes batches of `batch` events from one connection for `seconds`. */
export async function directCeiling(options: {
  url: string;
  ceiling: Ceiling;
  earners: readonly Earner[];
  seconds: number;
  batch: number;
  tag: string;
}): Promise<CeilingResult> {
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  // Rows record the version that priced them, as the app's do, so `npm run ledger:check` checks them against it.
  const { rows: programs } = await client.query<{ version: number; document: unknown }>(
    "SELECT version, document FROM program_version WHERE name = 'rewards' ORDER BY version DESC LIMIT 1",
  );
  const { version } = programs[0]!;
  const rules = RewardsDocument.parse(programs[0]!.document);
  let events = 0;
  let ledgerRows = 0;
  let seconds = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  try {
    while (performance.now() < deadline) {
      const batch = Array.from({ length: options.batch }, () => randomUsageEvent(options.earners, options.tag));
      const rows: Row[] = [];
      const replies: string[] = [];
      for (const event of batch) {
        const points = usagePoints(rules, event.endpoint, event.tokens);
        const e = event.earner;
        const shares = distributeShares(rules, "USER", points, [e.referrer_id, e.ancestor2_id, e.ancestor3_id]);
        const sourceEvent = `usage:${event.requestId}`;
        rows.push({ accountId: e.id, amount: points, kind: "BASE", level: 0, sourceEvent, origin: e.id });
        for (const s of shares) rows.push({ accountId: s.accountId, amount: s.points, kind: "SHARE", level: s.level, sourceEvent, origin: e.id });
        replies.push(
          JSON.stringify({
            points: toPlainString(points),
            shares: shares.map((s) => ({ accountId: s.accountId, level: s.level, points: toPlainString(s.points) })),
          }),
        );
      }
      const ledgerParams = [
        rows.map((r) => r.accountId),
        rows.map((r) => toPlainString(r.amount)),
        rows.map((r) => r.kind),
        rows.map((r) => r.level),
        rows.map((r) => r.sourceEvent),
        rows.map((r) => r.origin),
        version,
      ];
      if (options.ceiling === "ledger") {
        await client.query({ name: "ledger", text: INSERT_LEDGER, values: ledgerParams });
      } else {
        await client.query("BEGIN");
        await client.query({
          name: "events",
          text: INSERT_EVENTS,
          values: [
            batch.map((e) => e.requestId),
            batch.map((e) => e.userId),
            batch.map(({ earner: _earner, ...payload }) => JSON.stringify(payload)),
            replies,
          ],
        });
        await client.query({ name: "ledger", text: INSERT_LEDGER, values: ledgerParams });
        await writeAggregates(client, rows);
        await client.query("COMMIT");
      }
      events += batch.length;
      ledgerRows += rows.length;
    }
    seconds = (performance.now() - started) / 1000;
    if (options.ceiling === "ledger") {
      await client.query(`DELETE FROM ledger_entry WHERE source_event LIKE $1`, [`usage:${options.tag}-%`]);
    }
  } finally {
    await client.end();
  }
  return {
    ceiling: options.ceiling,
    seconds,
    events,
    ledgerRows,
    eventsPerSecond: Math.round(events / seconds),
    ledgerRowsPerSecond: Math.round(ledgerRows / seconds),
  };
}

async function writeAggregates(client: pg.Client, rows: readonly Row[]): Promise<void> {
  const perAccount = new Map<string, Decimal[]>();
  const contributions = new Map<string, { b: string; o: string; l: number; total: Decimal }>();
  for (const r of rows) {
    const sums = perAccount.get(r.accountId) ?? [];
    sums[r.level] = sums[r.level] ? sums[r.level]!.plus(r.amount) : r.amount;
    perAccount.set(r.accountId, sums);
    if (r.kind === "SHARE") {
      const key = `${r.accountId}\u0000${r.origin}`;
      const c = contributions.get(key);
      if (c) c.total = c.total.plus(r.amount);
      else contributions.set(key, { b: r.accountId, o: r.origin, l: r.level, total: r.amount });
    }
  }
  const totals = byKey(perAccount);
  const column = (level: number) => totals.map(([, s]) => (s[level] ? toPlainString(s[level]) : "0"));
  await client.query({
    name: "totals",
    text: UPSERT_TOTALS,
    values: [totals.map(([id]) => id), totals.map(() => randomInt(SLOTS)), column(0), column(1), column(2), column(3)],
  });
  const cs = byKey(contributions).map(([, c]) => c);
  await client.query({
    name: "contributions",
    text: UPSERT_CONTRIBUTIONS,
    values: [cs.map((c) => c.b), cs.map((c) => c.o), cs.map((c) => c.l), cs.map((c) => toPlainString(c.total))],
  });
}
