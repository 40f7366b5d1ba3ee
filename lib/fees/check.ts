/**
 * Conservation checks of Perpetual Earnings, run by `npm run ledger:check`. Each is one SQL query over the whole
 * table (PostgreSQL's numeric arithmetic is exact), reporting at most LIMIT offenders per rule.
 */
import "server-only";
import type { Db } from "@/lib/db/client";

const LIMIT = 20;

interface Rule {
  name: string;
  /** Returns one row per offender, with a `problem` text. */
  sql: string;
}

// The rates of the perpetual program version that split each transaction, rounded down to 18 decimals as the
// rule does (lib/fees/rules.ts splitFee).
const VERSION_SQL = `LEFT JOIN program_version p ON p.name = 'perpetual' AND p.version = t.program_version`;
const FEE_SQL = `trunc(t.amount * (p.document->>'feePercent')::numeric / 100, 18)`;
const REFERRER_FEE_SQL = `trunc(t.amount * (p.document->>'referrerPercent')::numeric / 100, 18)`;

const RULES: Rule[] = [
  {
    name: "transaction fee is the program's feePercent of the amount",
    sql: `SELECT 'transaction ' || t.order_id || ': fee ' || t.fee || ' is not '
                 || coalesce(p.document->>'feePercent' || '% (version ' || p.version || ')', 'a program''s fee')
                 || ' of ' || t.amount AS problem
          FROM fee_transaction t ${VERSION_SQL} WHERE t.fee IS DISTINCT FROM ${FEE_SQL}`,
  },
  {
    name: "referrer and platform shares make up the fee",
    sql: `SELECT 'transaction ' || order_id || ': referrer fee ' || referrer_fee || ' + platform fee ' || platform_fee
                 || ' <> fee ' || fee AS problem
          FROM fee_transaction WHERE referrer_fee + platform_fee <> fee`,
  },
  {
    name: "referrer fee is the program's referrerPercent of the amount when there is a referrer, else 0",
    sql: `SELECT 'transaction ' || t.order_id || ': referrer fee ' || t.referrer_fee || ' should be '
                 || coalesce((CASE WHEN t.referrer_id IS NULL THEN 0 ELSE ${REFERRER_FEE_SQL} END)::text, 'by a program version')
                 AS problem
          FROM fee_transaction t ${VERSION_SQL}
          WHERE t.referrer_fee IS DISTINCT FROM CASE WHEN t.referrer_id IS NULL THEN 0 ELSE ${REFERRER_FEE_SQL} END`,
  },
  {
    name: "every referred transaction has exactly its fee entry",
    sql: `SELECT 'transaction ' || t.order_id || ': ' ||
                 CASE WHEN e.id IS NULL THEN 'no fee entry for referrer ' || t.referrer_id
                      ELSE 'fee entry ' || e.id || ' (' || e.amount_local || ' ' || e.currency || ' to ' || e.referrer_id
                           || ' from ' || e.transactor_id || ') does not match ' || t.referrer_fee || ' ' || t.currency
                           || ' to ' || coalesce(t.referrer_id, 'nobody') || ' from ' || t.user_id END AS problem
          FROM fee_transaction t LEFT JOIN fee_entry e ON e.order_id = t.order_id AND e.kind = 'FEE'
          WHERE (t.referrer_id IS NOT NULL AND e.id IS NULL)
             OR (e.id IS NOT NULL AND (t.referrer_id IS DISTINCT FROM e.referrer_id OR e.transactor_id <> t.user_id
                 OR e.currency <> t.currency OR e.amount_local <> t.referrer_fee))`,
  },
  {
    name: "every fee or clawback entry comes from a recorded transaction",
    sql: `SELECT 'fee entry ' || e.id || ': no transaction ' || e.order_id AS problem
          FROM fee_entry e LEFT JOIN fee_transaction t ON t.order_id = e.order_id
          WHERE e.kind <> 'ADJUSTMENT' AND t.order_id IS NULL`,
  },
  {
    name: "every currency adjustment entry is exactly its recorded adjustment",
    sql: `SELECT 'fee entry ' || e.id || ' (' || e.order_id || '): ' ||
                 CASE WHEN a.id IS NULL THEN 'no adjustment recorded'
                      ELSE 'differs from adjustment ' || a.adjustment_id || ' (' || a.amount || ' ' || a.unit || ' to '
                           || a.account_id || ')' END AS problem
          FROM fee_entry e LEFT JOIN adjustment a ON 'adjustment:' || a.adjustment_id = e.order_id
          WHERE e.kind = 'ADJUSTMENT' AND (a.id IS NULL OR a.account_id <> e.referrer_id
                OR a.unit::text <> e.currency::text OR a.amount <> e.amount_local OR e.voided_at IS NOT NULL)
          UNION ALL
          SELECT 'adjustment ' || a.adjustment_id || ' of ' || a.amount || ' ' || a.unit || ': no fee entry'
          FROM adjustment a LEFT JOIN fee_entry e ON e.order_id = 'adjustment:' || a.adjustment_id AND e.kind = 'ADJUSTMENT'
          WHERE a.unit <> 'POINTS' AND e.id IS NULL`,
  },
  {
    name: "a reversed transaction's fee is voided before any claim, or clawed back once after one — never both, never neither",
    sql: `SELECT 'transaction ' || r.source_id || ' (reversal ' || r.reversal_id || '): ' ||
                 CASE WHEN f.voided_at IS NOT NULL AND f.claim_id IS NOT NULL THEN 'voided and claimed'
                      WHEN f.voided_at IS NOT NULL AND k.id IS NOT NULL THEN 'voided and clawed back'
                      WHEN f.voided_at IS NULL AND k.id IS NULL THEN 'neither voided nor clawed back'
                      ELSE 'clawback ' || k.amount_local || ' ' || k.currency || ' to ' || k.referrer_id
                           || ' does not negate ' || f.amount_local || ' ' || f.currency || ' to ' || f.referrer_id END AS problem
          FROM reversal r
          JOIN fee_entry f ON f.order_id = r.source_id AND f.kind = 'FEE'
          LEFT JOIN fee_entry k ON k.order_id = r.source_id AND k.kind = 'CLAWBACK'
          WHERE r.source = 'TRANSACTION' AND (
            (f.voided_at IS NOT NULL AND (f.claim_id IS NOT NULL OR k.id IS NOT NULL))
            OR (f.voided_at IS NULL AND k.id IS NULL)
            OR (k.id IS NOT NULL AND (k.amount_local <> -f.amount_local OR k.currency <> f.currency
                OR k.referrer_id <> f.referrer_id OR k.reversal_id IS DISTINCT FROM r.reversal_id)))`,
  },
  {
    name: "only a reversal voids a fee or adds a clawback",
    sql: `SELECT 'fee entry ' || e.id || ' (' || e.kind || ', ' || e.order_id || '): '
                 || CASE WHEN e.kind <> 'FEE' AND e.voided_at IS NOT NULL THEN 'only a fee is voided'
                         ELSE 'no reversal of transaction ' || e.order_id END AS problem
          FROM fee_entry e LEFT JOIN reversal r ON r.source = 'TRANSACTION' AND r.source_id = e.order_id
          WHERE (e.kind <> 'FEE' AND e.voided_at IS NOT NULL)
             OR ((e.voided_at IS NOT NULL OR e.kind = 'CLAWBACK') AND r.reversal_id IS NULL)`,
  },
  {
    name: "a claim pays the sum of its lines rounded down to 6 decimals",
    sql: `SELECT 'claim ' || c.id || ': amount ' || c.amount_usd || ' <> round-down of lines '
                 || coalesce(sum(l.amount_usd), 0) AS problem
          FROM claim c LEFT JOIN claim_line l ON l.claim_id = c.id
          GROUP BY c.id, c.amount_usd
          HAVING count(l.claim_id) = 0 OR c.amount_usd <> trunc(sum(l.amount_usd), 6)`,
  },
  {
    name: "a claim line's USD is its local amount times its stored rate",
    sql: `SELECT 'claim ' || claim_id || ' ' || currency || ': ' || amount_usd || ' <> ' || amount_local || ' × ' || usd_rate
                 AS problem
          FROM claim_line WHERE amount_usd <> amount_local * usd_rate`,
  },
  {
    name: "a paid or in-flight claim owns exactly the entries of its lines",
    sql: `SELECT 'claim ' || coalesce(l.claim_id, e.claim_id) || ' ' || coalesce(l.currency, e.currency) || ': line '
                 || coalesce(l.amount_local::text, 'missing') || ' (' || coalesce(l.entry_count::text, '-') || ' entries) <> entries '
                 || coalesce(e.amount::text, 'none') || ' (' || coalesce(e.entries::text, '0') || ')' AS problem
          FROM (SELECT l.* FROM claim_line l JOIN claim c ON c.id = l.claim_id WHERE c.status <> 'FAILED') l
          FULL JOIN (SELECT fe.claim_id, fe.currency, sum(fe.amount_local) AS amount, count(*) AS entries
                     FROM fee_entry fe WHERE fe.claim_id IS NOT NULL GROUP BY fe.claim_id, fe.currency) e
            ON e.claim_id = l.claim_id AND e.currency = l.currency
          WHERE l.claim_id IS NULL OR e.claim_id IS NULL OR l.amount_local <> e.amount OR l.entry_count <> e.entries`,
  },
  {
    name: "a voided entry is in no claim",
    sql: `SELECT 'fee entry ' || id || ' is voided yet attached to claim ' || claim_id AS problem
          FROM fee_entry WHERE voided_at IS NOT NULL AND claim_id IS NOT NULL`,
  },
  {
    name: "a claim pays its account's own entries",
    sql: `SELECT 'fee entry ' || e.id || ' of ' || e.referrer_id || ' is attached to claim ' || c.id || ' of ' || c.account_id
                 AS problem
          FROM fee_entry e JOIN claim c ON c.id = e.claim_id WHERE c.account_id <> e.referrer_id`,
  },
  {
    name: "a COMPLETED claim has its transaction and completion time",
    sql: `SELECT 'claim ' || id || ': COMPLETED without ' ||
                 CASE WHEN transaction_hash IS NULL THEN 'a transaction hash' ELSE 'completedAt' END AS problem
          FROM claim WHERE status = 'COMPLETED' AND (transaction_hash IS NULL OR completed_at IS NULL)`,
  },
];

/**
 * Checks Perpetual Earnings' money invariants over the whole database.
 * @returns one line per problem found; empty when everything holds
 */
export async function checkClaimConservation(db: Db): Promise<string[]> {
  const problems: string[] = [];
  for (const rule of RULES) {
    const rows = await db.$queryRawUnsafe<{ problem: string }[]>(`${rule.sql} LIMIT ${LIMIT + 1}`);
    for (const row of rows.slice(0, LIMIT)) problems.push(`${rule.name}: ${row.problem}`);
    if (rows.length > LIMIT) problems.push(`${rule.name}: … and more`);
  }
  return problems;
}
