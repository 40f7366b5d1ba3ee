/**
 * The review queue: the operator lists risk signals (lib/risk/signals.ts) and resolves each with a note, audited as
 * `signal.resolved` in the same transaction. Resolving changes nothing else: a freeze stays until unfrozen.
 */
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/log";
import type { Db } from "@/lib/db/client";
import { decodePageCursor, encodePageCursor } from "@/lib/db/page-cursor";
import { NotFound } from "@/lib/errors";
import { SIGNAL_DESCRIPTIONS, type SignalKind } from "./signals";

export interface SignalView {
  id: string;
  kind: SignalKind;
  description: string;
  accountId: string;
  subject: string;
  details: unknown;
  status: "open" | "resolved";
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

interface SignalRow {
  id: string;
  kind: string;
  accountId: string;
  subject: string;
  details: unknown;
  status: "OPEN" | "RESOLVED";
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolution: string | null;
}

function signalView(row: SignalRow): SignalView {
  const kind = row.kind as SignalKind;
  return {
    id: row.id,
    kind,
    description: SIGNAL_DESCRIPTIONS[kind] ?? row.kind,
    accountId: row.accountId,
    subject: row.subject,
    details: row.details,
    status: row.status === "OPEN" ? "open" : "resolved",
    createdAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolvedBy: row.resolvedBy,
    resolution: row.resolution,
  };
}

export const DEFAULT_SIGNAL_PAGE = 50;
export const MAX_SIGNAL_PAGE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface SignalQuery {
  status?: "open" | "resolved" | "all";
  accountId?: string;
  limit?: number;
  cursor?: string;
}

/** Newest first; open ones by default. */
export async function listSignals(
  db: Db,
  query: SignalQuery = {},
): Promise<{ signals: SignalView[]; nextCursor: string | null }> {
  const take = Math.min(Math.max(query.limit ?? DEFAULT_SIGNAL_PAGE, 1), MAX_SIGNAL_PAGE);
  const status = query.status ?? "open";
  const after = query.cursor === undefined ? undefined : decodePageCursor(query.cursor, UUID, "signal");
  const rows = await db.riskSignal.findMany({
    where: {
      ...(status === "all" ? {} : { status: status === "open" ? "OPEN" : "RESOLVED" }),
      ...(query.accountId ? { accountId: query.accountId } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
  });
  const shown = rows.slice(0, take);
  const last = shown.at(-1);
  return {
    signals: shown.map(signalView),
    nextCursor: rows.length > take && last ? encodePageCursor(last.createdAt, last.id, "signal") : null,
  };
}

/**
 * Marks the signal resolved with the operator's note (audited as `signal.resolved`). Resolving a resolved signal
 * changes nothing and records nothing.
 * @throws NotFound (404)
 */
export async function resolveSignal(
  db: Db,
  input: { id: string; resolution: string; actor: Actor },
  now: Date = new Date(),
): Promise<SignalView> {
  if (!UUID.test(input.id)) throw new NotFound("Signal", input.id);
  return db.$transaction(async (tx) => {
    const { count } = await tx.riskSignal.updateMany({
      where: { id: input.id, status: "OPEN" },
      data: { status: "RESOLVED", resolvedAt: now, resolvedBy: input.actor, resolution: input.resolution },
    });
    const row = await tx.riskSignal.findUnique({ where: { id: input.id } });
    if (!row) throw new NotFound("Signal", input.id);
    if (count === 1) {
      await recordAudit(tx, {
        actor: input.actor,
        action: "signal.resolved",
        target: row.id,
        details: { kind: row.kind, accountId: row.accountId, resolution: input.resolution },
      });
    }
    return signalView(row);
  });
}
