/**
 * Adjustments (docs/corrections.md): an operator credits or debits one account, with a reason, as a new row.
 *
 * - POINTS: an ADJUSTMENT ledger row (level 0) through the one ledger writer, counted in the account's all-time
 *   earnings and today's history under `adjustments`, never shared to referrers.
 * - a currency: a fee entry of kind ADJUSTMENT (orderId `adjustment:<adjustmentId>`) that balances, entries and
 *   claims treat like any other.
 *
 * Idempotent on adjustmentId: the adjustment table's unique key makes a concurrent duplicate wait for the first
 * and then answer it.
 */
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/log";
import type { Db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { dec, toPlainString, type Decimal } from "@/lib/money";
import { appendLedger } from "@/lib/rewards/ledger";
import { emitEvent } from "@/lib/webhooks/outbox";
import { entryAvailableAtSql } from "@/lib/fees/holds";
import { programInForce } from "@/lib/programs/store";

export type AdjustmentUnit = "POINTS" | "KES" | "NGN" | "UGX" | "GHS" | "ETB" | "CDF";

export interface AdjustmentInput {
  adjustmentId: string;
  accountId: string;
  unit: AdjustmentUnit;
  /** Non-zero, either sign. */
  amount: Decimal;
  reason: string;
}

export interface AdjustmentView {
  id: string;
  adjustmentId: string;
  accountId: string;
  unit: AdjustmentUnit;
  amount: Decimal;
  reason: string;
  createdAt: string;
}

interface Row {
  id: string;
  adjustment_id: string;
  account_id: string;
  unit: AdjustmentUnit;
  amount: { toString(): string };
  reason: string;
  created_at: Date;
}

function view(row: Row): AdjustmentView {
  return {
    id: row.id,
    adjustmentId: row.adjustment_id,
    accountId: row.account_id,
    unit: row.unit,
    amount: dec(row.amount.toString()),
    reason: row.reason,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * Records the adjustment, its audit entry and its webhook event in one transaction.
 * @returns the adjustment, `created: false` when this adjustmentId was recorded before (the first one, unchanged)
 * @throws NotFound (404) for an unknown account
 */
export async function adjust(
  db: Db,
  input: AdjustmentInput,
  actor: Actor,
): Promise<{ adjustment: AdjustmentView; created: boolean }> {
  const { holdDays } = (await programInForce(db, "perpetual")).document;
  return db.$transaction(
    async (tx) => {
      const existing = () => tx.$queryRaw<Row[]>`
        SELECT id, adjustment_id, account_id, unit::text AS unit, amount, reason, created_at
        FROM adjustment WHERE adjustment_id = ${input.adjustmentId}`;
      const [before] = await existing();
      if (before) return { adjustment: view(before), created: false };

      const account = await tx.account.findUnique({ where: { id: input.accountId }, select: { id: true } });
      if (!account) throw new NotFound("Account", input.accountId);

      const [row] = await tx.$queryRaw<Row[]>`
        INSERT INTO adjustment (id, adjustment_id, account_id, unit, amount, reason, actor)
        VALUES (gen_random_uuid(), ${input.adjustmentId}, ${input.accountId}, ${input.unit}::"Unit",
                ${toPlainString(input.amount)}::numeric, ${input.reason}, ${actor})
        ON CONFLICT (adjustment_id) DO NOTHING
        RETURNING id, adjustment_id, account_id, unit::text AS unit, amount, reason, created_at`;
      if (!row) {
        const [raced] = await existing();
        return { adjustment: view(raced!), created: false };
      }

      if (input.unit === "POINTS") {
        await appendLedger(tx, [
          {
            accountId: input.accountId,
            amount: input.amount,
            kind: "ADJUSTMENT",
            level: 0,
            sourceEvent: `adjustment:${input.adjustmentId}`,
            originAccountId: input.accountId,
          },
        ]);
      } else {
        await tx.$executeRaw`
          INSERT INTO fee_entry (id, kind, referrer_id, transactor_id, order_id, currency, amount_local, available_at, created_at)
          VALUES (gen_random_uuid(), 'ADJUSTMENT', ${input.accountId}, NULL, ${`adjustment:${input.adjustmentId}`},
                  ${input.unit}::"Currency", ${toPlainString(input.amount)}::numeric,
                  ${entryAvailableAtSql(input.amount, holdDays)}, now())`;
      }

      await recordAudit(tx, {
        actor,
        action: "adjustment.created",
        target: input.accountId,
        details: {
          adjustmentId: input.adjustmentId,
          unit: input.unit,
          amount: toPlainString(input.amount),
          reason: input.reason,
        },
      });
      await emitEvent(tx, "adjustment.created", {
        accountId: input.accountId,
        adjustmentId: input.adjustmentId,
        unit: input.unit,
        amount: input.amount,
      });
      return { adjustment: view(row), created: true };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}
