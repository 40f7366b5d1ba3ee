/**
 * Setting an account's referrer: once, permanently, without cycles, with the direct bonus paid in the same
 * transaction (docs/rewards.md, "Ancestors, cycles and concurrency").
 *
 * Concurrency. A referrer chain only ever grows at its top: every account below the top (the "root") already
 * has its permanent referrer, so the chain above any account R is fixed for as long as R's root stays a root.
 * Applying X → R therefore locks, in id order so two applies cannot deadlock:
 *   - X FOR UPDATE: a second apply of X waits, then finds X referred (apply-once); X's own descendants, whose
 *     root is X, cannot be added while X's ancestors are being rewritten;
 *   - R's root FOR KEY SHARE: the root cannot get a referrer meanwhile (that takes FOR UPDATE), so R's chain
 *     and R's ancestors are stable; other sign-ups under the same root take the same shared lock and proceed
 *     in parallel.
 * Under those locks a cycle exists exactly when R's root is X (X has no referrer, so it can only be at the
 * top of R's chain). Finding the root walks up R's chain three levels per step through the denormalized
 * ancestor3 column, so the walk costs depth / 3 index lookups. If the root got a referrer between the walk and
 * the lock, the whole transaction is rolled back and run again: re-locking inside it would take a second set of
 * locks out of order (and could deadlock with the apply that moved the root). Each retry finds a strictly
 * higher root, so retries end.
 *
 * Late apply. When X already has descendants, their ancestors move with it: X's children get ancestor2 = R
 * and ancestor3 = R's referrer, X's grandchildren get ancestor3 = R (one set-based UPDATE, bounded by two
 * levels of descendants). The ancestor columns are not indexed and the table keeps free space in its pages, so
 * these rows are rewritten in place without index writes (HOT; 10,000 descendants in tens of milliseconds,
 * docs/benchmarks.md). Network counts move by set arithmetic on the maintained counts (see `moveCounts`).
 */
import "server-only";
import { randomInt } from "node:crypto";
import { type Db } from "@/lib/db/client";
import { nowSql } from "@/lib/db/now";
import { NotFound } from "@/lib/errors";
import type { Decimal } from "@/lib/money";
import { appendLedger, SLOTS, type Tx } from "@/lib/rewards/ledger";
import { emitEvent } from "@/lib/webhooks/outbox";
import { programInForce } from "@/lib/programs/store";
import { directBonus, type EarnerKind } from "@/lib/rewards/rules";
import { evaluateReferralSignals } from "@/lib/risk/signals";
import { AlreadyReferred, KindMismatch, ReferralCycle, SelfReferral, UnknownReferralCode } from "./errors";

export interface AppliedReferral {
  referredBy: string;
  directBonus: { accountId: string; points: Decimal };
}

interface AccountRow {
  id: string;
  kind: EarnerKind;
  referrer_id: string | null;
  ancestor2_id: string | null;
}

/** Long enough for a late apply under an account with a large network (its two UPDATEs touch every descendant on two levels). */
const GRAPH_TRANSACTION = { maxWait: 10_000, timeout: 60_000 };

/**
 * Makes `code`'s account the referrer of `accountId` and pays the direct bonus.
 * @throws NotFound (404) for an unknown account, UnknownReferralCode (404), SelfReferral, AlreadyReferred,
 *   KindMismatch, ReferralCycle (400)
 */
export async function applyReferral(db: Db, accountId: string, code: string): Promise<AppliedReferral> {
  return graphTransaction(db, (tx) => applyReferralInTransaction(tx, accountId, code));
}

/** The referrer's root got a referrer of its own between the walk and the lock: start over. */
class RootMoved extends Error {}

/**
 * Runs work that applies a referral (applyReferralInTransaction) in a transaction of its own, again from the
 * start whenever the referrer's root moved meanwhile.
 */
export async function graphTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await db.$transaction(work, GRAPH_TRANSACTION);
    } catch (error) {
      if (!(error instanceof RootMoved)) throw error;
    }
  }
}

/**
 * The same, inside the caller's transaction, which must be run by graphTransaction (account creation with a
 * `referrer` does so). `now` dates a referral recorded after the fact (an account created so, see createAccount).
 */
export async function applyReferralInTransaction(
  tx: Tx,
  accountId: string,
  code: string,
  now?: Date,
): Promise<AppliedReferral> {
  const [account] = await tx.$queryRaw<AccountRow[]>`
    SELECT id, kind::text AS kind, referrer_id, ancestor2_id FROM account WHERE id = ${accountId}`;
  if (!account) throw new NotFound("Account", accountId);
  if (code === accountId) throw new SelfReferral();
  const [referrer] = await tx.$queryRaw<AccountRow[]>`
    SELECT id, kind::text AS kind, referrer_id, ancestor2_id FROM account WHERE id = ${code}`;
  if (!referrer) throw new UnknownReferralCode(code);
  if (account.referrer_id !== null) throw new AlreadyReferred();
  if (account.kind !== referrer.kind) throw new KindMismatch();

  await lockAccountAndReferrerRoot(tx, accountId, referrer.id, code);

  // Stable now: the referrer's root is locked as a root.
  const [r] = await tx.$queryRaw<AccountRow[]>`
    SELECT id, kind::text AS kind, referrer_id, ancestor2_id FROM account WHERE id = ${referrer.id}`;
  const parent = r!.referrer_id;
  const grandparent = r!.ancestor2_id;

  const updated = await tx.$executeRaw`
    UPDATE account SET referrer_id = ${referrer.id}, ancestor2_id = ${parent}, ancestor3_id = ${grandparent}, referred_at = ${nowSql(now)}
    WHERE id = ${accountId} AND referrer_id IS NULL`;
  if (updated !== 1) throw new AlreadyReferred();
  // Children and grandchildren are disjoint, so one statement rewrites both; the grandchildren are found through
  // the children the first part returns (an array, so the planner looks them up on the referrer_id index).
  await tx.$executeRaw`
    WITH children AS (
      UPDATE account SET ancestor2_id = ${referrer.id}, ancestor3_id = ${parent} WHERE referrer_id = ${accountId} RETURNING id
    )
    UPDATE account SET ancestor3_id = ${referrer.id} WHERE referrer_id = ANY(ARRAY(SELECT id FROM children))`;

  await moveCounts(tx, accountId, [referrer.id, parent, grandparent]);

  const rewards = await programInForce(tx, "rewards");
  const points = directBonus(rewards.document, referrer.kind);
  await appendLedger(
    tx,
    [
      {
        accountId: referrer.id,
        amount: points,
        kind: "DIRECT_BONUS",
        level: 1,
        sourceEvent: `referral:${accountId}`,
        originAccountId: accountId,
      },
    ],
    now,
    rewards.version,
  );
  await emitEvent(tx, "referral.applied", { accountId, referrerId: referrer.id });
  await evaluateReferralSignals(tx, accountId, referrer.id, now);
  return { referredBy: referrer.id, directBonus: { accountId: referrer.id, points } };
}

async function lockAccountAndReferrerRoot(tx: Tx, accountId: string, referrerId: string, code: string): Promise<void> {
  const root = await rootOf(tx, referrerId);
  if (root === accountId) throw new ReferralCycle(code);
  for (const id of [accountId, root].sort()) {
    if (id === accountId) {
      const [locked] = await tx.$queryRaw<{ referrer_id: string | null }[]>`
        SELECT referrer_id FROM account WHERE id = ${id} FOR UPDATE`;
      if (locked!.referrer_id !== null) throw new AlreadyReferred();
    } else {
      const [locked] = await tx.$queryRaw<{ referrer_id: string | null }[]>`
        SELECT referrer_id FROM account WHERE id = ${id} FOR KEY SHARE`;
      if (locked!.referrer_id !== null) throw new RootMoved();
    }
  }
}

/**
 * The top of an account's referrer chain, walking three levels per step. The step bound only stops a
 * corrupted (cyclic) graph from looping; a real chain is far shorter.
 */
export async function rootOf(tx: Tx | Db, accountId: string): Promise<string> {
  const [row] = await tx.$queryRaw<{ root: string }[]>`
    WITH RECURSIVE up (id, referrer_id, ancestor2_id, ancestor3_id, step) AS (
      SELECT id, referrer_id, ancestor2_id, ancestor3_id, 0 FROM account WHERE id = ${accountId}
      UNION ALL
      SELECT a.id, a.referrer_id, a.ancestor2_id, a.ancestor3_id, up.step + 1
      FROM account a JOIN up ON a.id = up.ancestor3_id
      WHERE up.step < 1000000
    )
    SELECT COALESCE(ancestor2_id, referrer_id, id) AS root FROM up ORDER BY step DESC LIMIT 1`;
  return row!.root;
}

/**
 * X (with `direct` children and `secondary` grandchildren of its own) joins under R, R's parent P and R's
 * grandparent Q: R gains X, X's children and X's grandchildren on levels 1-3; P gains X and X's children on
 * levels 2-3; Q gains X on level 3. X's deeper descendants are beyond everyone's level 3.
 */
async function moveCounts(tx: Tx, accountId: string, ancestors: [string, string | null, string | null]): Promise<void> {
  const [own] = await tx.$queryRaw<{ direct: number; secondary: number }[]>`
    SELECT COALESCE(SUM(direct), 0)::int AS direct, COALESCE(SUM(secondary), 0)::int AS secondary
    FROM network_count WHERE account_id = ${accountId}`;
  const { direct, secondary } = own!;
  const [r, p, q] = ancestors;
  const deltas: { id: string; d: number; s: number; t: number }[] = [{ id: r, d: 1, s: direct, t: secondary }];
  if (p) deltas.push({ id: p, d: 0, s: 1, t: direct });
  if (q) deltas.push({ id: q, d: 0, s: 0, t: 1 });
  deltas.sort((a, b) => (a.id < b.id ? -1 : 1));
  await tx.$executeRaw`
    INSERT INTO network_count AS n (account_id, slot, direct, secondary, tertiary)
    SELECT * FROM unnest(${deltas.map((x) => x.id)}::text[], ${deltas.map(() => randomInt(SLOTS))}::int[],
                         ${deltas.map((x) => x.d)}::int[], ${deltas.map((x) => x.s)}::int[], ${deltas.map((x) => x.t)}::int[])
    ON CONFLICT (account_id, slot) DO UPDATE SET
      direct = n.direct + EXCLUDED.direct, secondary = n.secondary + EXCLUDED.secondary, tertiary = n.tertiary + EXCLUDED.tertiary`;
}
