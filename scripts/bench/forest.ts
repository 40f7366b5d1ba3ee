/**
 * A realistic referral forest for the benchmarks: power-law (most accounts refer nobody, a few early ones refer
 * thousands), at most 10 levels deep, written with the maintained values exactly as the engine keeps them
 * (denormalized ancestors, network_count, the direct bonuses in the ledger, account_total and account_daily),
 * so `checkRewardsConservation` finds nothing and the app's incremental writes continue from consistent books.
 *
 * The shape is planned in memory from a seeded generator (reproducible, and the depth cap is a simple walk up
 * the parent array); everything else is set-based SQL on the server: one statement per table whatever the size.
 *
 * Layout of the planned indices (a parent always has a smaller index than its child). Each range below signs up
 * over the same last HISTORY_DAYS days, its accounts in index order, and the account table is written in
 * creation order: the ranges interleave on disk, as networks that grow side by side do (an apply then touches
 * rows scattered over the table, not a few adjacent pages).
 *   [0, main)            users: account n > 0 is referred with probability REFERRED, by
 *                        floor(n × u^SKEW): heavily skewed to early accounts, so account 0 (the hub) ends up
 *                        with the largest network (≈ 15 % of the users within 3 levels);
 *   [main, users)        users: APPLY_TARGETS ranges, one per apply target: its first account has no referrer
 *                        and every other account in the range descends from it (same power law inside);
 *   [users, accounts)    providers, planned like the main users.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { SLOTS } from "@/lib/rewards/ledger";
import { seededRandom } from "@/lib/seeded-random";

export const MAX_DEPTH = 10;
/** Exponent of the parent choice: parent = floor(n × u^SKEW), u uniform in [0, 1). */
const SKEW = 4;
/** Share of accounts that signed up with a referral code. */
const REFERRED = 0.7;
const PROVIDER_SHARE = 0.1;
/** Accounts without a referrer whose network of about APPLY_TARGET_SIZE is moved by one apply. */
export const APPLY_TARGETS = 3;
const APPLY_TARGET_SIZE = 10_000;
/** Creation times spread over the last year, oldest first. */
const HISTORY_DAYS = 365;

export interface ForestPlan {
  accounts: number;
  /** Indices below this are users, the rest providers. */
  users: number;
  /** Indices of the apply targets, in order; each one's network runs up to the next (the last one's up to `users`). */
  applyRoots: number[];
  /** -1 for no referrer. */
  parent: Int32Array;
  depth: Uint8Array;
}

export function planForest(accounts: number, seed = 1): ForestPlan {
  if (!Number.isInteger(accounts) || accounts < 100) throw new RangeError(`a forest needs at least 100 accounts, got ${accounts}`);
  const random = seededRandom(seed);
  const users = accounts - Math.round(accounts * PROVIDER_SHARE);
  const size = Math.min(APPLY_TARGET_SIZE, Math.floor(accounts / 10 / APPLY_TARGETS));
  const applyRoots = Array.from({ length: APPLY_TARGETS }, (_, i) => users - (APPLY_TARGETS - i) * size);
  const parent = new Int32Array(accounts).fill(-1);
  const depth = new Uint8Array(accounts);

  const attach = (n: number, start: number, always: boolean) => {
    if (n === start || (!always && random() >= REFERRED)) return;
    let p = start + Math.floor((n - start) * random() ** SKEW);
    // Too deep: join higher up the same chain instead.
    while (depth[p]! >= MAX_DEPTH) p = parent[p]!;
    parent[n] = p;
    depth[n] = depth[p]! + 1;
  };
  for (let n = 0; n < applyRoots[0]!; n++) attach(n, 0, false);
  for (const root of applyRoots) for (let n = root; n < root + size; n++) attach(n, root, true);
  for (let n = users; n < accounts; n++) attach(n, users, false);
  return { accounts, users, applyRoots, parent, depth };
}

export interface Forest {
  accounts: number;
  users: number;
  providers: number;
  referred: number;
  maxDepth: number;
  /** The account with the largest network (levels 1-3). */
  hub: NetworkSize & { id: string };
  /** Accounts with no referrer and a large network of their own: applying a code to one moves all of it. */
  applyTargets: (NetworkSize & { id: string; descendants: number })[];
  /** A user three levels deep in the main forest (so an apply under it moves counts on three ancestors). */
  applyCode: string;
  /** Share of accounts that referred nobody. */
  referNobody: number;
}

export interface NetworkSize {
  direct: number;
  secondary: number;
  tertiary: number;
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const UNBIASED_LIMIT = 248;

/**
 * Ids as lib/referrals/ids.ts makes them (prefix + 20 unbiased base62 characters from the CSPRNG), drawn from
 * large buffers: one randomBytes call per id would take seconds per million.
 */
function accountIds(plan: ForestPlan): string[] {
  const ids: string[] = new Array<string>(plan.accounts);
  let buffer = randomBytes(0);
  let at = 0;
  for (let n = 0; n < plan.accounts; n++) {
    let body = "";
    while (body.length < 20) {
      if (at === buffer.length) {
        buffer = randomBytes(1 << 20);
        at = 0;
      }
      const byte = buffer[at++]!;
      if (byte < UNBIASED_LIMIT) body += ALPHABET[byte % 62];
    }
    ids[n] = (n < plan.users ? "usr_" : "prov_") + body;
  }
  return ids;
}

/**
 * Writes the planned forest into an empty migrated database: accounts, the direct bonuses of every referral
 * (in the ledger and its totals and daily history, on the day of the referral), and network_count.
 * Statistics are refreshed at the end (VACUUM ANALYZE), as they would be on a live database.
 */
export async function writeForest(db: Db, plan: ForestPlan, log: (line: string) => void = () => undefined): Promise<Forest> {
  const { accounts, users, applyRoots } = plan;
  const run = async (sql: string, ...params: unknown[]) => {
    const started = performance.now();
    await db.$executeRawUnsafe(sql, ...params);
    log(`${(performance.now() - started).toFixed(0).padStart(7)} ms  ${sql.trim().split("\n")[0]!.slice(0, 90)}`);
  };

  await run(`DROP TABLE IF EXISTS bench_node`);
  await run(`CREATE UNLOGGED TABLE bench_node (n int PRIMARY KEY, parent int, id text NOT NULL, kind "AccountKind" NOT NULL, created_at timestamptz NOT NULL)`);
  await run(
    `INSERT INTO bench_node (n, parent, id, kind, created_at)
     SELECT t.i - 1, NULLIF(t.p, -1), t.id,
            CASE WHEN t.i - 1 < $3 THEN 'USER' ELSE 'PROVIDER' END::"AccountKind",
            date_trunc('milliseconds', now() - make_interval(secs => t.age))
     FROM unnest($1::int[], $2::text[], $4::float8[]) WITH ORDINALITY AS t(p, id, age, i)`,
    Array.from(plan.parent),
    accountIds(plan),
    users,
    ages(plan),
  );

  const loaded = ["account", "network_count", "ledger_entry", "account_total", "account_daily"];
  await withIndexesBuiltAfter(db, loaded, run, async () => {
    await run(
      `INSERT INTO account (id, kind, referrer_id, ancestor2_id, ancestor3_id, referred_at, created_at)
       SELECT b.id, b.kind, p1.id, p2.id, p3.id, CASE WHEN p1.id IS NOT NULL THEN b.created_at END, b.created_at
       FROM bench_node b
       LEFT JOIN bench_node p1 ON p1.n = b.parent
       LEFT JOIN bench_node p2 ON p2.n = p1.parent
       LEFT JOIN bench_node p3 ON p3.n = p2.parent
       ORDER BY b.created_at, b.n`,
    );

    await run(
      `INSERT INTO network_count (account_id, slot, direct, secondary, tertiary)
       SELECT a, slot, SUM(d), SUM(s), SUM(t) FROM (
         SELECT referrer_id AS a, floor(random() * ${SLOTS})::int AS slot, 1 AS d, 0 AS s, 0 AS t FROM account WHERE referrer_id IS NOT NULL
         UNION ALL SELECT ancestor2_id, floor(random() * ${SLOTS})::int, 0, 1, 0 FROM account WHERE ancestor2_id IS NOT NULL
         UNION ALL SELECT ancestor3_id, floor(random() * ${SLOTS})::int, 0, 0, 1 FROM account WHERE ancestor3_id IS NOT NULL
       ) u GROUP BY a, slot`,
    );

    // The bonus of every referral, as applyReferral writes it: to the referrer, on the day of the referral, by the
    // rewards program in force.
    await run(
      `WITH p AS (SELECT version, document->'directBonus' AS bonus FROM program_version
                  WHERE name = 'rewards' ORDER BY version DESC LIMIT 1)
       INSERT INTO ledger_entry (account_id, unit, amount, kind, level, source_event, origin_account_id, created_at, program_version)
       SELECT a.referrer_id, 'POINTS', (p.bonus->>lower(r.kind::text))::numeric, 'DIRECT_BONUS', 1,
              'referral:' || a.id, a.id, a.referred_at, p.version
       FROM p, account a JOIN account r ON r.id = a.referrer_id
       ORDER BY a.referred_at`,
    );
    await run(`DROP TABLE IF EXISTS bench_bonus`);
    await run(
      `CREATE UNLOGGED TABLE bench_bonus AS
       SELECT account_id, amount, (created_at AT TIME ZONE 'UTC')::date AS day, floor(random() * ${SLOTS})::int AS slot
       FROM ledger_entry WHERE kind = 'DIRECT_BONUS'`,
    );
    await run(
      `INSERT INTO account_total (account_id, unit, slot, direct_bonus)
       SELECT account_id, 'POINTS', slot, SUM(amount) FROM bench_bonus GROUP BY account_id, slot`,
    );
    await run(
      `INSERT INTO account_daily (account_id, day, unit, slot, direct_bonus)
       SELECT account_id, day, 'POINTS', slot, SUM(amount) FROM bench_bonus GROUP BY account_id, day, slot`,
    );
  });

  const named = await db.$queryRawUnsafe<{ n: number; id: string }[]>(
    `SELECT n, id FROM bench_node WHERE n = ANY($1::int[])`,
    [...applyRoots, pickApplyCode(plan)],
  );
  const idOf = (n: number) => named.find((row) => row.n === n)!.id;
  await run(`DROP TABLE bench_node`);
  await run(`DROP TABLE bench_bonus`);
  await run(`VACUUM ANALYZE`);

  const [hub] = await db.$queryRawUnsafe<{ id: string; direct: number; secondary: number; tertiary: number }[]>(
    `SELECT account_id AS id, SUM(direct)::int AS direct, SUM(secondary)::int AS secondary, SUM(tertiary)::int AS tertiary
     FROM network_count GROUP BY account_id ORDER BY SUM(direct + secondary + tertiary) DESC, account_id LIMIT 1`,
  );
  const applyTargets = await Promise.all(
    applyRoots.map(async (root, i) => {
      const id = idOf(root);
      const [size] = await db.$queryRawUnsafe<NetworkSize[]>(
        `SELECT COALESCE(SUM(direct), 0)::int AS direct, COALESCE(SUM(secondary), 0)::int AS secondary,
                COALESCE(SUM(tertiary), 0)::int AS tertiary
         FROM network_count WHERE account_id = $1`,
        id,
      );
      return { id, ...size!, descendants: (applyRoots[i + 1] ?? users) - root - 1 };
    }),
  );

  let referred = 0;
  let maxDepth = 0;
  const refers = new Uint8Array(accounts);
  for (let n = 0; n < accounts; n++) {
    const p = plan.parent[n]!;
    if (p >= 0) {
      referred++;
      refers[p] = 1;
    }
    maxDepth = Math.max(maxDepth, plan.depth[n]!);
  }
  return {
    accounts,
    users,
    providers: accounts - users,
    referred,
    maxDepth,
    hub: hub!,
    applyTargets,
    applyCode: idOf(pickApplyCode(plan)),
    referNobody: 1 - refers.reduce((a, b) => a + b, 0) / accounts,
  };
}

interface Definition {
  table: string;
  name: string;
  def: string;
  type: "p" | "u" | "f" | "i";
}

/**
 * Runs a bulk load into `tables` with their indexes and constraints dropped, then rebuilds them from their own
 * definitions (what pg_dump does: one sorted build per index instead of a million random inserts, foreign keys
 * validated in one join). Throws if the rebuilt set differs from the original.
 */
async function withIndexesBuiltAfter(
  db: Db,
  tables: string[],
  run: (sql: string) => Promise<void>,
  load: () => Promise<void>,
): Promise<void> {
  const definitions = () =>
    db.$queryRawUnsafe<Definition[]>(
      `SELECT c.conrelid::regclass::text AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS def, c.contype::text AS type
       FROM pg_constraint c
       WHERE c.contype IN ('p', 'u', 'f') AND (c.conrelid = ANY($1::regclass[]) OR c.confrelid = ANY($1::regclass[]))
       UNION ALL
       SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), 'i'
       FROM pg_index i
       WHERE i.indrelid = ANY($1::regclass[])
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
       ORDER BY 2`,
      tables,
    );
  const before = await definitions();
  const of = (...types: Definition["type"][]) => before.filter((d) => types.includes(d.type));
  for (const d of of("f")) await run(`ALTER TABLE ${d.table} DROP CONSTRAINT "${d.name}"`);
  for (const d of of("p", "u")) await run(`ALTER TABLE ${d.table} DROP CONSTRAINT "${d.name}"`);
  for (const d of of("i")) await run(`DROP INDEX ${d.name}`);
  await load();
  for (const d of of("i")) await run(d.def);
  for (const d of of("p", "u", "f")) await run(`ALTER TABLE ${d.table} ADD CONSTRAINT "${d.name}" ${d.def}`);
  const after = await definitions();
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    throw new Error(`rebuilt indexes differ from the originals:\n${JSON.stringify(before)}\n${JSON.stringify(after)}`);
  }
}

/** Seconds before now each account signed up: every range spreads over HISTORY_DAYS, oldest index first. */
function ages(plan: ForestPlan): number[] {
  const starts = [0, ...plan.applyRoots, plan.users, plan.accounts];
  const age = new Array<number>(plan.accounts);
  for (let r = 0; r + 1 < starts.length; r++) {
    const [start, end] = [starts[r]!, starts[r + 1]!];
    for (let n = start; n < end; n++) age[n] = ((end - n) / (end - start)) * HISTORY_DAYS * 86_400;
  }
  return age;
}

/** The first main-forest user at depth 3 (or the deepest before it): its referrer chain has three ancestors. */
function pickApplyCode(plan: ForestPlan): number {
  let best = 0;
  for (let n = 0; n < plan.applyRoots[0]!; n++) {
    if (plan.depth[n] === 3) return n;
    if (plan.depth[n]! > plan.depth[best]!) best = n;
  }
  return best;
}
