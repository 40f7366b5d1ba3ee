/**
 * The review queue's risk signals. Each is evaluated where the thing it watches happens, in that change's own
 * transaction, and raised at most once per subject (a wallet, a referral, an hour of a code). A signal blocks
 * nothing by itself; SIGNALS_AUTO_FREEZE names the kinds that also freeze the account's claims (lib/risk/freeze.ts)
 * when raised. docs/api.md, Review queue.
 *
 * - wallet_reused: a wallet is, or was, linked to more than one account (wallet_link keeps every link).
 * - wallet_matches_referrer: a referrer and an account it referred share a wallet, now or in the past.
 * - code_burst: a referral code applied more than SIGNAL_CODE_BURST_PER_HOUR times within an hour.
 * - mostly_reversed: a referral whose transactions are mostly reversed (at least 5, and more than half).
 */
import "server-only";
import type { Actor } from "@/lib/audit/log";
import { Prisma } from "@/lib/db/client";
import { freezeInTransaction } from "./freeze";

type Tx = Prisma.TransactionClient;
type Env = Readonly<Record<string, string | undefined>>;

export const SIGNAL_KINDS = ["wallet_reused", "wallet_matches_referrer", "code_burst", "mostly_reversed"] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export const SIGNAL_DESCRIPTIONS: Record<SignalKind, string> = {
  wallet_reused: "A wallet linked to this account is or was linked to another account",
  wallet_matches_referrer: "This referrer and an account it referred share a wallet",
  code_burst: "This account's referral code was applied unusually often within an hour",
  mostly_reversed: "Most transactions of one of this account's referrals were reversed",
};

export const DEFAULT_CODE_BURST_PER_HOUR = 20;
/** A referral is mostly reversed from this many reversed transactions on, when they are more than half. */
export const MOSTLY_REVERSED_MIN = 5;

export interface SignalSettings {
  codeBurstPerHour: number;
  autoFreeze: ReadonlySet<SignalKind>;
}

export function signalSettings(env: Env = process.env): SignalSettings {
  const burstRaw = env.SIGNAL_CODE_BURST_PER_HOUR?.trim();
  const codeBurstPerHour = burstRaw ? Number(burstRaw) : DEFAULT_CODE_BURST_PER_HOUR;
  if (!Number.isInteger(codeBurstPerHour) || codeBurstPerHour < 1) {
    throw new Error(`SIGNAL_CODE_BURST_PER_HOUR must be a whole number of applications (1 or more), got "${burstRaw}"`);
  }
  const autoFreeze = new Set<SignalKind>();
  for (const name of (env.SIGNALS_AUTO_FREEZE ?? "").split(",")) {
    const kind = name.trim();
    if (!kind) continue;
    if (!(SIGNAL_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`SIGNALS_AUTO_FREEZE lists "${kind}"; signal kinds are ${SIGNAL_KINDS.join(", ")}`);
    }
    autoFreeze.add(kind as SignalKind);
  }
  return { codeBurstPerHour, autoFreeze };
}

/** Who an automatic freeze is recorded as: the engine, on the operator's SIGNALS_AUTO_FREEZE. */
export const AUTO_FREEZE_ACTOR: Actor = "system:signals";

interface Raise {
  kind: SignalKind;
  accountId: string;
  subject: string;
  details: Prisma.InputJsonObject;
}

/**
 * Records the signal unless one of its kind is already raised for the account and subject; an automatic freeze
 * follows for a kind listed in SIGNALS_AUTO_FREEZE.
 */
async function raise(tx: Tx, signal: Raise, settings: SignalSettings, now: Date): Promise<void> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO risk_signal (id, kind, account_id, subject, details, created_at)
    VALUES (gen_random_uuid(), ${signal.kind}, ${signal.accountId}, ${signal.subject},
      ${JSON.stringify(signal.details)}::jsonb, ${now})
    ON CONFLICT (kind, account_id, subject) DO NOTHING
    RETURNING id::text`;
  if (!row || !settings.autoFreeze.has(signal.kind)) return;
  await freezeInTransaction(
    tx,
    {
      accountId: signal.accountId,
      reason: `Automatic: ${SIGNAL_DESCRIPTIONS[signal.kind].toLowerCase()}`,
      actor: AUTO_FREEZE_ACTOR,
      details: { signalId: row.id, signal: signal.kind },
    },
    now,
  );
}

/**
 * After `accountId` got a wallet (created with one, linked, replaced): wallet_reused when any wallet it has had
 * was another account's too, and wallet_matches_referrer with its referrer and with the accounts it referred.
 */
export async function evaluateWalletSignals(
  tx: Tx,
  accountId: string,
  now: Date = new Date(),
  settings: SignalSettings = signalSettings(),
): Promise<void> {
  const shared = await tx.$queryRaw<{ address: string; others: string[] }[]>`
    SELECT mine.address, array_agg(other.account_id ORDER BY other.account_id) AS others
    FROM wallet_link mine
    JOIN wallet_link other ON other.address = mine.address AND other.account_id <> mine.account_id
    WHERE mine.account_id = ${accountId}
    GROUP BY mine.address`;
  for (const { address, others } of shared) {
    await raise(
      tx,
      { kind: "wallet_reused", accountId, subject: `wallet:${address}`, details: { address, otherAccountIds: others } },
      settings,
      now,
    );
  }
  if (shared.length === 0) return;
  // A shared wallet is the only way a referrer and its referral can share one, so look only then.
  const others = [...new Set(shared.flatMap((s) => s.others))];
  const pairs = await tx.$queryRaw<{ referrer_id: string; referred_id: string }[]>`
    SELECT referrer_id, id AS referred_id FROM account WHERE id = ${accountId} AND referrer_id = ANY(${others})
    UNION ALL
    SELECT referrer_id, id FROM account WHERE id = ANY(${others}) AND referrer_id = ${accountId}`;
  for (const pair of pairs) await evaluateReferralWallets(tx, pair.referrer_id, pair.referred_id, settings, now);
}

async function evaluateReferralWallets(
  tx: Tx,
  referrerId: string,
  referredId: string,
  settings: SignalSettings,
  now: Date,
): Promise<void> {
  const [match] = await tx.$queryRaw<{ address: string }[]>`
    SELECT a.address FROM wallet_link a JOIN wallet_link b ON b.address = a.address
    WHERE a.account_id = ${referrerId} AND b.account_id = ${referredId}
    ORDER BY a.address LIMIT 1`;
  if (!match) return;
  await raise(
    tx,
    {
      kind: "wallet_matches_referrer",
      accountId: referrerId,
      subject: `referral:${referredId}`,
      details: { referredId, address: match.address },
    },
    settings,
    now,
  );
}

/**
 * In the transaction that makes `referrerId` the referrer of `referredId` (lib/referrals/apply.ts): the two
 * accounts' wallets, and how often the code was applied in the hour up to `now`.
 */
export async function evaluateReferralSignals(
  tx: Tx,
  referredId: string,
  referrerId: string,
  at?: Date,
  settings: SignalSettings = signalSettings(),
): Promise<void> {
  const now = at ?? new Date();
  await evaluateReferralWallets(tx, referrerId, referredId, settings, now);
  // The referral was dated by the database's clock unless `at` was given, so the hour is measured on the same
  // clock; a referral dated now is the latest, so only one dated in the past needs an upper bound (the stored time
  // is rounded to milliseconds and may be a little after now()). Reads at most N+1 index entries
  // (referrer_id, referred_at), however popular the code is.
  const window = at
    ? Prisma.sql`referred_at > ${new Date(at.getTime() - 3600_000)} AND referred_at <= ${at}`
    : Prisma.sql`referred_at > now() - interval '1 hour'`;
  const [over] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM account WHERE referrer_id = ${referrerId} AND ${window}
    ORDER BY referred_at DESC OFFSET ${settings.codeBurstPerHour} LIMIT 1`;
  if (!over) return;
  const hour = now.toISOString().slice(0, 13);
  await raise(
    tx,
    {
      kind: "code_burst",
      accountId: referrerId,
      subject: `code:${hour}`,
      details: { code: referrerId, threshold: settings.codeBurstPerHour, hour: `${hour}:00:00.000Z` },
    },
    settings,
    now,
  );
}

/**
 * In the transaction that reverses transactions (lib/corrections/reversals.ts): for each referred user whose
 * transaction was reversed, mostly_reversed on its referrer when at least MOSTLY_REVERSED_MIN of that referral's
 * transactions are reversed and they are more than half of them.
 */
export async function evaluateReversalSignals(
  tx: Tx,
  transactorIds: readonly string[],
  now: Date = new Date(),
  settings: SignalSettings = signalSettings(),
): Promise<void> {
  if (transactorIds.length === 0) return;
  const rows = await tx.$queryRaw<{ referrer_id: string; user_id: string; total: number; reversed: number }[]>`
    SELECT t.referrer_id, t.user_id, count(*)::int AS total, count(r.reversal_id)::int AS reversed
    FROM fee_transaction t
    LEFT JOIN reversal r ON r.source = 'TRANSACTION' AND r.source_id = t.order_id
    WHERE t.user_id = ANY(${[...new Set(transactorIds)]}) AND t.referrer_id IS NOT NULL
    GROUP BY t.referrer_id, t.user_id`;
  for (const row of rows) {
    if (row.reversed < MOSTLY_REVERSED_MIN || row.reversed * 2 <= row.total) continue;
    await raise(
      tx,
      {
        kind: "mostly_reversed",
        accountId: row.referrer_id,
        subject: `referral:${row.user_id}`,
        details: { referredId: row.user_id, transactions: row.total, reversed: row.reversed },
      },
      settings,
      now,
    );
  }
}
