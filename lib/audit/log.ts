/**
 * The audit log: who did what to which id, for every operator action. An entry is written with the same
 * transaction client as the action itself, so an action that rolls back leaves no entry and a committed action
 * always has one. The table is append-only in the database (a trigger refuses UPDATE, DELETE and TRUNCATE).
 */
import "server-only";
import { userInfo } from "node:os";
import type { Db, Prisma } from "@/lib/db/client";
import type { OperatorCaller } from "@/lib/auth/caller";
import { InvalidCursor } from "@/lib/errors";

type Client = Db | Prisma.TransactionClient;

/**
 * The actions recorded. The list is what docs/api.md promises at least; add an action here (and there) when an
 * operator gains a new way to change something.
 */
export const AUDIT_ACTIONS = [
  "account.frozen",
  "account.unfrozen",
  "account.wallet_replaced",
  "adjustment.created",
  "reversal.created",
  "fx.rates_set",
  "program.updated",
  "webhook.created",
  "webhook.deleted",
  "webhook.redelivered",
  "api_key.created",
  "api_key.revoked",
  "signal.resolved",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * An API key by its first characters (never the whole key), the operator console signed in with one, a command on
 * the server, or the engine itself acting on an operator's standing instruction (an automatic freeze).
 */
export type Actor = `key:${string}` | `console:${string}` | `cli:${string}` | `system:${string}`;

export function keyActor(caller: OperatorCaller): Actor {
  return `key:${caller.keyPrefix}`;
}

export function consoleActor(operator: { keyPrefix: string }): Actor {
  return `console:${operator.keyPrefix}`;
}

/** Commands run on the server (`npm run keys`, …) name the operating-system user who ran them. */
export function cliActor(): Actor {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // A container user without a passwd entry has no name; the entry still says it came from the command line.
  }
  return `cli:${user}`;
}

export interface AuditEntryInput {
  actor: Actor;
  action: AuditAction;
  /** The id acted on (an account, an adjustment, a webhook endpoint, …). */
  target: string;
  /** What changed, in JSON: amounts as exact decimal strings. */
  details?: Prisma.InputJsonObject;
}

/** Appends one entry with `client`: pass the action's transaction so both commit or neither does. */
export async function recordAudit(client: Client, entry: AuditEntryInput): Promise<void> {
  await client.auditLog.create({
    data: { actor: entry.actor, action: entry.action, target: entry.target, details: entry.details ?? {} },
  });
}

/** Appends many entries in one statement (a batch of reversals), with the action's transaction like recordAudit. */
export async function recordAudits(client: Client, entries: readonly AuditEntryInput[]): Promise<void> {
  if (entries.length === 0) return;
  await client.auditLog.createMany({
    data: entries.map((e) => ({ actor: e.actor, action: e.action, target: e.target, details: e.details ?? {} })),
  });
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  details: unknown;
}

export const DEFAULT_AUDIT_PAGE = 50;
export const MAX_AUDIT_PAGE = 500;

function encodeCursor(id: bigint): string {
  return Buffer.from(`audit:${id}`).toString("base64url");
}

function decodeCursor(cursor: string): bigint {
  const match = /^audit:(\d{1,19})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new InvalidCursor();
  return BigInt(match[1]!);
}

/** Newest first; `target` narrows to the entries about one id. */
export async function listAuditLog(
  db: Db,
  page: { limit?: number; cursor?: string; target?: string } = {},
): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
  const take = Math.min(Math.max(page.limit ?? DEFAULT_AUDIT_PAGE, 1), MAX_AUDIT_PAGE);
  const before = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  const rows = await db.auditLog.findMany({
    where: { ...(before === undefined ? {} : { id: { lt: before } }), ...(page.target ? { target: page.target } : {}) },
    orderBy: { id: "desc" },
    take: take + 1,
  });
  const shown = rows.slice(0, take);
  const last = shown.at(-1);
  return {
    entries: shown.map((row) => ({
      id: row.id.toString(),
      at: row.at.toISOString(),
      actor: row.actor,
      action: row.action,
      target: row.target,
      details: row.details,
    })),
    nextCursor: rows.length > take && last ? encodeCursor(last.id) : null,
  };
}
