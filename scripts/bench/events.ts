/**
 * Event ingestion through HTTP: usage events in batches of 1,000 from a few clients and one at a time from many;
 * offramp/pay transactions one at a time from many, as a platform reports each as it happens.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { CURRENCIES } from "@/lib/money";
import { USAGE_ENDPOINTS, type UsageEndpoint } from "@/lib/rewards/rules";
import { call, closedLoop, type LoadResult } from "./load";

export interface Earner {
  id: string;
  referrer_id: string | null;
  ancestor2_id: string | null;
  ancestor3_id: string | null;
}

/** A uniform random sample of users (with their ancestors, for the direct-SQL writer) to attribute events to. */
export async function sampleUsers(db: Db, count: number): Promise<Earner[]> {
  return db.$queryRawUnsafe<Earner[]>(
    `SELECT id, referrer_id, ancestor2_id, ancestor3_id FROM account WHERE kind = 'USER' ORDER BY random() LIMIT $1`,
    count,
  );
}

export interface UsageEventBody {
  requestId: string;
  userId: string;
  endpoint: UsageEndpoint;
  tokens?: number;
}

/**
 * A usage event of a random sampled user: a random endpoint, LLM endpoints with 0-4,000 tokens, and a random
 * request id after `tag` (callers' ids are typically random, which is what the id indexes pay for).
 */
export function randomUsageEvent(earners: readonly Earner[], tag: string): UsageEventBody & { earner: Earner } {
  const requestId = `${tag}-${randomUUID()}`;
  const earner = earners[Math.floor(Math.random() * earners.length)]!;
  const endpoint = USAGE_ENDPOINTS[Math.floor(Math.random() * USAGE_ENDPOINTS.length)]!;
  const tokens = endpoint === "/chat/completions" || endpoint === "/embeddings" ? Math.floor(Math.random() * 4000) : undefined;
  return { requestId, userId: earner.id, endpoint, tokens, earner };
}

/** Highest ledger row id so far: rows written by a phase are those above it. */
export async function lastLedgerId(db: Db): Promise<bigint> {
  const [row] = await db.$queryRawUnsafe<{ id: bigint | null }[]>(`SELECT max(id) AS id FROM ledger_entry`);
  return row!.id ?? 0n;
}

export async function ledgerRowsAfter(db: Db, id: bigint): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ledger_entry WHERE id > $1`, id);
  return row!.n;
}

export interface IngestionResult extends LoadResult {
  eventsPerSecond: number;
  ledgerRows: number;
  ledgerRowsPerSecond: number;
}

/**
 * POSTs usage events for `seconds`: each of `clients` loops sends `batch` events per request (a lone event
 * object when batch is 1, as a caller reporting one request at a time would), and checks every event was new.
 */
export async function ingestUsage(options: {
  db: Db;
  baseUrl: string;
  secretKey: string;
  earners: readonly Earner[];
  clients: number;
  batch: number;
  seconds: number;
  /** Makes request ids unique per phase. */
  tag: string;
}): Promise<IngestionResult> {
  const before = await lastLedgerId(options.db);
  const headers = { "x-api-key": options.secretKey };
  const result = await closedLoop({
    clients: options.clients,
    seconds: options.seconds,
    send: async () => {
      const events = Array.from({ length: options.batch }, () => {
        const { earner: _earner, ...event } = randomUsageEvent(options.earners, options.tag);
        return event;
      });
      const body = options.batch === 1 ? events[0] : { events };
      const reply = await call<{ results: { duplicate: boolean }[] }>(options.baseUrl, "/api/events/usage", { headers, body });
      if (reply.results.length !== events.length || reply.results.some((r) => r.duplicate)) {
        throw new Error(`expected ${events.length} new events, got ${JSON.stringify(reply).slice(0, 200)}`);
      }
      return events.length;
    },
  });
  const ledgerRows = await ledgerRowsAfter(options.db, before);
  return {
    ...result,
    eventsPerSecond: Math.round(result.units / result.seconds),
    ledgerRows,
    ledgerRowsPerSecond: Math.round(ledgerRows / result.seconds),
  };
}

/**
 * POSTs one offramp or pay transaction per request from each of `clients` loops for `seconds`, each by a random
 * sampled user in a random currency, and checks every one was new.
 */
export async function ingestTransactions(options: {
  baseUrl: string;
  secretKey: string;
  earners: readonly Earner[];
  clients: number;
  seconds: number;
  tag: string;
}): Promise<LoadResult & { eventsPerSecond: number }> {
  const headers = { "x-api-key": options.secretKey };
  const result = await closedLoop({
    clients: options.clients,
    seconds: options.seconds,
    send: async () => {
      const earner = options.earners[Math.floor(Math.random() * options.earners.length)]!;
      const body = {
        orderId: `${options.tag}-${randomUUID()}`,
        userId: earner.id,
        type: Math.random() < 0.5 ? "offramp" : "pay",
        amount: 100 + Math.floor(Math.random() * 100_000),
        currency: CURRENCIES[Math.floor(Math.random() * CURRENCIES.length)]!,
      };
      const reply = await call<{ results: { duplicate: boolean }[] }>(options.baseUrl, "/api/events/transactions", { headers, body });
      if (reply.results.length !== 1 || reply.results[0]!.duplicate) throw new Error(`expected one new transaction, got ${JSON.stringify(reply).slice(0, 200)}`);
      return 1;
    },
  });
  return { ...result, eventsPerSecond: Math.round(result.units / result.seconds) };
}
