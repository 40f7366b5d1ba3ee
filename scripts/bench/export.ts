/**
 * The ledger export at scale: the ledger topped up to `rows` rows, then GET /api/exports/ledger.csv read to its end
 * as fast as this client takes it, while the server's process tree is sampled every 100 ms. The file must hold every
 * row (the table's count when the export began), and the server's memory must not grow with them: the target is
 * less than 50 MB above what it held before the request (docs/exports.md).
 *
 * The rows are written with SQL, one INSERT … SELECT per 100,000, as BASE rows of usage events of a sample of the
 * forest's users (`source_event` `usage:bench-export-<n>`): what an export costs depends on the rows, not on how
 * they were made. Only ledger_entry gets them, so they are deleted again after the phase, and the aggregates and a
 * later --check stay as the other phases left them.
 */
import type { Db } from "@/lib/db/client";
import { treeRssKb } from "./memory";

const INSERT_CHUNK = 100_000;
const SAMPLE_MS = 100;

export interface ExportResult {
  rows: number;
  /** Rows of the warm-up export (the last hour's), read before the baseline. */
  warmUpRows: number;
  /** Rows written for the phase (the rest were already in the ledger). */
  seeded: number;
  seedSeconds: number;
  bytes: number;
  firstByteMs: number;
  seconds: number;
  rowsPerSecond: number;
  megabytesPerSecond: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssGrowthMb: number;
  rssAfterMb: number;
}

export async function benchExport(options: {
  db: Db;
  baseUrl: string;
  serverPid: number;
  secretKey: string;
  rows: number;
  log: (line: string) => void;
}): Promise<ExportResult> {
  const { db, rows } = options;
  const [last] = await db.$queryRawUnsafe<{ id: bigint }[]>(`SELECT coalesce(max(id), 0) AS id FROM ledger_entry`);
  const before = last!.id;
  const seeded = Math.max(0, rows - (await ledgerRows(db)));
  const seedStarted = performance.now();
  try {
    await seed(db, seeded, options.log);
    const seedSeconds = round((performance.now() - seedStarted) / 1000, 1);
    const expected = await ledgerRows(db);
    // The first export loads the route's modules and grows the heap to its working size; that is not growth with
    // the rows, so a short export (the last hour's rows) runs first and the baseline is taken after it.
    const warmUp = await readExport(options, `?from=${new Date(Date.now() - 3_600_000).toISOString()}`);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const rssBefore = treeRssKb(options.serverPid);
    let peak = rssBefore;
    const timer = setInterval(() => (peak = Math.max(peak, treeRssKb(options.serverPid))), SAMPLE_MS);
    try {
      const started = performance.now();
      const { bytes, lines, last, firstByteMs } = await readExport(options, "");
      const seconds = (performance.now() - started) / 1000;
      peak = Math.max(peak, treeRssKb(options.serverPid));
      const exported = lines - 1;
      if (last !== 10 || exported !== expected) {
        throw new Error(`the export held ${exported} rows (ending in byte ${last}); the ledger has ${expected}`);
      }
      const mb = (kb: number) => Math.round(kb / 1024);
      return {
        rows: exported,
        warmUpRows: warmUp.lines - 1,
        seeded,
        seedSeconds,
        bytes,
        firstByteMs,
        seconds: round(seconds, 2),
        rowsPerSecond: Math.round(exported / seconds),
        megabytesPerSecond: round(bytes / 2 ** 20 / seconds, 1),
        rssBeforeMb: mb(rssBefore),
        rssPeakMb: mb(peak),
        rssGrowthMb: mb(peak - rssBefore),
        rssAfterMb: mb(treeRssKb(options.serverPid)),
      };
    } finally {
      clearInterval(timer);
    }
  } finally {
    if (seeded > 0) {
      options.log(`  deleting the ${seeded.toLocaleString("en")} rows written for the export…`);
      await db.$executeRawUnsafe(
        `DELETE FROM ledger_entry WHERE id > $1 AND source_event LIKE 'usage:bench-export-%'`,
        before,
      );
    }
  }
}

/** Reads one ledger export to its end: its size, its line count, its last byte. */
async function readExport(options: { baseUrl: string; secretKey: string }, query: string) {
  const started = performance.now();
  const res = await fetch(`${options.baseUrl}/api/exports/ledger.csv${query}`, {
    headers: { "x-api-key": options.secretKey },
  });
  if (res.status !== 200 || !res.body) throw new Error(`GET /api/exports/ledger.csv${query} → ${res.status}`);
  const firstByteMs = Math.round(performance.now() - started);
  let bytes = 0;
  let lines = 0;
  let last = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    last = chunk[chunk.byteLength - 1] ?? last;
  }
  return { bytes, lines, last, firstByteMs };
}

async function ledgerRows(db: Db): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM ledger_entry`);
  return Number(row!.n);
}

/** `count` BASE rows over up to 1,000 users, amounts with up to 6 decimals, dated over the last 30 days. */
async function seed(db: Db, count: number, log: (line: string) => void): Promise<void> {
  if (count === 0) return;
  log(`  writing ${count.toLocaleString("en")} ledger rows with SQL…`);
  const users = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM account WHERE kind = 'USER' ORDER BY id LIMIT 1000`,
  );
  if (users.length === 0) throw new Error("the export phase needs the forest's users");
  const ids = users.map((u) => u.id);
  for (let from = 0; from < count; from += INSERT_CHUNK) {
    const to = Math.min(count, from + INSERT_CHUNK);
    await db.$executeRawUnsafe(
      `INSERT INTO ledger_entry (account_id, unit, amount, kind, level, source_event, origin_account_id, created_at)
       SELECT u.id, 'POINTS'::"Unit", (g % 1000003)::numeric / 1000000 + 0.5, 'BASE'::"LedgerKind", 0, 'usage:bench-export-' || g, u.id,
              now() - (g % 2592000) * interval '1 second'
       FROM generate_series($1::bigint, $2::bigint) AS g
       JOIN LATERAL (SELECT ($3::text[])[1 + g % $4] AS id) u ON true`,
      from,
      to - 1,
      ids,
      ids.length,
    );
  }
}

function round(value: number, places: number): number {
  const f = 10 ** places;
  return Math.round(value * f) / f;
}
