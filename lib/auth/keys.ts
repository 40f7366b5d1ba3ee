/**
 * API keys. Secret keys (sk_…) belong to the operator's backend; publishable keys (pk_…) to front ends, and only
 * count together with a user's bearer token. Keys are stored as sha-256 hashes and found by their prefix;
 * BOOTSTRAP_SECRET_KEY / BOOTSTRAP_PUBLISHABLE_KEY are valid from start-up without a row.
 */
import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { recordAudit, type Actor } from "@/lib/audit/log";
import { type Db } from "@/lib/db/client";
import type { ApiKeyKind } from "@/lib/db/generated/enums";

export type KeyKind = ApiKeyKind;
export interface VerifiedKey {
  id: string;
  kind: KeyKind;
  /** The key's first characters: how logs and the audit log name it, never the whole key. */
  prefix: string;
}

export const PREFIX_LENGTH = 12;
const LAST_USED_FLUSH_MS = 60_000;

export function hashKey(raw: string): string {
  return createHash("sha256").update(raw, "utf8").digest("hex");
}

function kindOf(raw: string): KeyKind | null {
  if (raw.startsWith("sk_")) return "SECRET";
  if (raw.startsWith("pk_")) return "PUBLISHABLE";
  return null;
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}

function bootstrapKeys(): { id: string; kind: KeyKind; hash: string }[] {
  const keys: { id: string; kind: KeyKind; hash: string }[] = [];
  if (process.env.BOOTSTRAP_SECRET_KEY) {
    keys.push({ id: "bootstrap-secret", kind: "SECRET", hash: hashKey(process.env.BOOTSTRAP_SECRET_KEY) });
  }
  if (process.env.BOOTSTRAP_PUBLISHABLE_KEY) {
    keys.push({
      id: "bootstrap-publishable",
      kind: "PUBLISHABLE",
      hash: hashKey(process.env.BOOTSTRAP_PUBLISHABLE_KEY),
    });
  }
  return keys;
}

/** The key's identity, or null when it is unknown, revoked or malformed. */
export async function verifyApiKey(db: Db, raw: string): Promise<VerifiedKey | null> {
  const kind = kindOf(raw);
  if (!kind || raw.length < PREFIX_LENGTH + 8 || raw.length > 200) return null;
  const hash = hashKey(raw);
  for (const key of bootstrapKeys()) {
    if (key.kind === kind && sameHash(key.hash, hash)) return { id: key.id, kind, prefix: raw.slice(0, PREFIX_LENGTH) };
  }
  const prefix = raw.slice(0, PREFIX_LENGTH);
  const key = recentlyVerified(prefix) ?? (await liveKey(db, prefix));
  if (!key || key.kind !== kind || !sameHash(key.hash, hash)) return null;
  noteUse(db, key.id);
  return { id: key.id, kind, prefix: key.prefix };
}

/**
 * Live stored keys read in the last RECENT_KEY_MS, by prefix, so that a caller sending one key request after
 * request costs no database read per request (≈ 0.5 ms of the server's CPU and 0.2 ms of the database's per lone
 * event: docs/benchmarks.md). A key revoked by another process (`npm run keys -- revoke`, another instance) is refused
 * everywhere within RECENT_KEY_MS, and at once by the process that revoked it. Only keys found live are kept, so
 * unknown keys cannot fill it; it holds at most RECENT_KEY_LIMIT. On globalThis: the production build may load this
 * module once per route, and a revocation must clear every copy.
 */
const RECENT_KEY_MS = 1_000;
const RECENT_KEY_LIMIT = 1_000;
interface StoredKey {
  id: string;
  kind: KeyKind;
  prefix: string;
  hash: string;
}
const recentKeys = ((
  globalThis as typeof globalThis & { __referralEngineRecentKeys?: Map<string, { key: StoredKey; until: number }> }
).__referralEngineRecentKeys ??= new Map());

function recentlyVerified(prefix: string): StoredKey | undefined {
  const recent = recentKeys.get(prefix);
  if (recent && recent.until > performance.now()) return recent.key;
  recentKeys.delete(prefix);
  return undefined;
}

async function liveKey(db: Db, prefix: string): Promise<StoredKey | null> {
  const row = await db.apiKey.findUnique({
    where: { prefix },
    select: { id: true, kind: true, prefix: true, hash: true, revokedAt: true },
  });
  if (!row || row.revokedAt) return null;
  const key = { id: row.id, kind: row.kind, prefix: row.prefix, hash: row.hash };
  if (recentKeys.size >= RECENT_KEY_LIMIT) recentKeys.delete(recentKeys.keys().next().value!);
  recentKeys.set(prefix, { key, until: performance.now() + RECENT_KEY_MS });
  return key;
}

/** Creates a key (shown once: only its hash is kept) and records who created it in the same transaction. */
export async function createApiKey(
  db: Db,
  kind: KeyKind,
  name: string,
  actor: Actor,
): Promise<{ id: string; key: string; prefix: string }> {
  const key = `${kind === "SECRET" ? "sk" : "pk"}_live_${randomBytes(24).toString("base64url")}`;
  const prefix = key.slice(0, PREFIX_LENGTH);
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiKey.create({ data: { kind, name, prefix, hash: hashKey(key) } });
    await recordAudit(tx, {
      actor,
      action: "api_key.created",
      target: created.id,
      details: { kind: kind === "SECRET" ? "secret" : "publishable", name, prefix },
    });
    return created;
  });
  return { id: row.id, key, prefix };
}

export async function listApiKeys(db: Db) {
  return db.apiKey.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, kind: true, name: true, prefix: true, createdAt: true, revokedAt: true, lastUsedAt: true },
  });
}

/** Revokes by id or by prefix, recording who did; returns whether a live key was revoked. */
export async function revokeApiKey(db: Db, idOrPrefix: string, actor: Actor): Promise<boolean> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrPrefix);
  const revoked = await db.$transaction(async (tx) => {
    const keys = await tx.apiKey.updateManyAndReturn({
      where: { revokedAt: null, ...(isUuid ? { id: idOrPrefix } : { prefix: idOrPrefix.slice(0, PREFIX_LENGTH) }) },
      data: { revokedAt: new Date() },
      select: { id: true, prefix: true },
    });
    for (const key of keys) {
      await recordAudit(tx, { actor, action: "api_key.revoked", target: key.id, details: { prefix: key.prefix } });
    }
    return keys;
  });
  for (const key of revoked) recentKeys.delete(key.prefix);
  return revoked.length > 0;
}

// Last use is kept in memory and written at most once a minute per process, so verifying a key on the hot
// path costs one indexed read and no write.
const lastUsed = new Map<string, Date>();
let flushTimer: NodeJS.Timeout | undefined;

function noteUse(db: Db, id: string) {
  lastUsed.set(id, new Date());
  if (flushTimer) return;
  flushTimer = setTimeout(() => {
    flushTimer = undefined;
    void flushLastUsed(db).catch((error) => console.error("Could not record API key use:", error));
  }, LAST_USED_FLUSH_MS);
  flushTimer.unref();
}

export async function flushLastUsed(db: Db): Promise<void> {
  const pending = [...lastUsed.entries()];
  lastUsed.clear();
  for (const [id, at] of pending) {
    await db.apiKey.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] },
      data: { lastUsedAt: at },
    });
  }
}
