/**
 * Fixed-window rate limits on write routes, per API key and per account. Counted in Redis when REDIS_URL is set
 * (shared by every app instance), else in this process. Limits per minute, each overridable by environment:
 *   RATE_LIMIT_SECRET_KEY_PER_MINUTE       100000  the operator's backend (batched ingestion is 1,000 events a request)
 *   RATE_LIMIT_PUBLISHABLE_KEY_PER_MINUTE  6000    a front end, across all its users
 *   RATE_LIMIT_ACCOUNT_PER_MINUTE          60      one signed-in account's writes (claims, referral codes, wallets)
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { Caller } from "./caller";
import { DomainError } from "@/lib/errors";

const WINDOW_MS = 60_000;

export class RateLimited extends DomainError {
  constructor(retryAfterSeconds: number) {
    super("rate_limited", "Too many requests", `Rate limit reached; retry in ${retryAfterSeconds} s`, {
      headers: { "retry-after": String(retryAfterSeconds) },
    });
  }
}

function limit(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export interface Counter {
  /** Adds one hit to `bucket` in the current window; returns the count so far and ms until the window ends. */
  hit(bucket: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /**
   * Admits one more event in `bucket` when fewer than `max` were admitted in the last `windowMs`, else says how long
   * until the oldest of them leaves. A sliding window: never more than `max` in any `windowMs`, where fixed windows
   * let 2 × max through around a window's end. Refused events are not counted.
   */
  admit(bucket: string, max: number, windowMs: number): Promise<Admission>;
}

export type Admission = { admitted: true } | { admitted: false; retryInMs: number };

export class MemoryCounter implements Counter {
  private windows = new Map<string, { start: number; count: number }>();
  /** Admission times per bucket, oldest first. */
  private admitted = new Map<string, number[]>();

  async admit(bucket: string, max: number, windowMs: number, now = Date.now()): Promise<Admission> {
    const times = (this.admitted.get(bucket) ?? []).filter((t) => t > now - windowMs);
    this.admitted.set(bucket, times);
    if (times.length >= max) return { admitted: false, retryInMs: times[0]! + windowMs - now };
    times.push(now);
    if (this.admitted.size > 100_000) {
      for (const [key, list] of this.admitted) if (list.at(-1)! <= now - windowMs) this.admitted.delete(key);
    }
    return { admitted: true };
  }

  async hit(bucket: string, windowMs: number, now = Date.now()) {
    const start = now - (now % windowMs);
    const current = this.windows.get(bucket);
    const window = current && current.start === start ? current : { start, count: 0 };
    window.count++;
    this.windows.set(bucket, window);
    if (this.windows.size > 100_000) this.evictBefore(start);
    return { count: window.count, resetInMs: start + windowMs - now };
  }

  private evictBefore(start: number) {
    for (const [key, window] of this.windows) if (window.start < start) this.windows.delete(key);
  }
}

/** One sorted set per bucket, scored by admission time; the script runs atomically, so instances cannot both take the last place. */
const ADMIT_SCRIPT = `
local now, window, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= max then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return -1`;

export class RedisCounter implements Counter {
  constructor(private readonly redis: Redis) {}

  async admit(bucket: string, max: number, windowMs: number, now = Date.now()): Promise<Admission> {
    const member = `${now}:${randomBytes(6).toString("hex")}`;
    const key = `ratelimit:sliding:${bucket}`;
    const retryInMs = Number(await this.redis.eval(ADMIT_SCRIPT, 1, key, now, windowMs, max, member));
    return retryInMs < 0 ? { admitted: true } : { admitted: false, retryInMs };
  }

  async hit(bucket: string, windowMs: number, now = Date.now()) {
    const start = now - (now % windowMs);
    const key = `ratelimit:${bucket}:${start}`;
    const results = await this.redis.multi().incr(key).pexpire(key, windowMs).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    return { count, resetInMs: start + windowMs - now };
  }
}

const globalCounter = globalThis as unknown as { __rateLimitCounter?: Counter };

function counter(): Counter {
  if (!globalCounter.__rateLimitCounter) {
    globalCounter.__rateLimitCounter = process.env.REDIS_URL
      ? new RedisCounter(new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: true }))
      : new MemoryCounter();
  }
  return globalCounter.__rateLimitCounter;
}

/** Admits one event in `bucket` if fewer than `max` were admitted in the last `windowMs` (Redis, or this process). */
export function admitEvent(bucket: string, max: number, windowMs: number): Promise<Admission> {
  return counter().admit(bucket, max, windowMs);
}

/** Adds one hit to `bucket` in the shared counter (Redis, or this process). */
export function hitCounter(bucket: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
  return counter().hit(bucket, windowMs);
}

/**
 * The buckets a write by this caller counts against, with their limits. A key's calls as the operator and its
 * calls for an account (a bearer token sent with it) count in separate buckets: the front-end limit must not eat
 * into the operator's, nor the reverse.
 */
export function bucketsFor(caller: Caller): { bucket: string; max: number }[] {
  if (caller.type === "operator") {
    return [{ bucket: `operator-key:${caller.keyId}`, max: limit("RATE_LIMIT_SECRET_KEY_PER_MINUTE", 100_000) }];
  }
  const buckets = [{ bucket: `account:${caller.accountId}`, max: limit("RATE_LIMIT_ACCOUNT_PER_MINUTE", 60) }];
  if (caller.keyId) {
    buckets.push({ bucket: `account-key:${caller.keyId}`, max: limit("RATE_LIMIT_PUBLISHABLE_KEY_PER_MINUTE", 6000) });
  }
  return buckets;
}

export async function enforceWriteLimit(caller: Caller, counterImpl: Counter = counter()): Promise<void> {
  for (const { bucket, max } of bucketsFor(caller)) {
    const { count, resetInMs } = await counterImpl.hit(bucket, WINDOW_MS);
    if (count > max) throw new RateLimited(Math.max(1, Math.ceil(resetInMs / 1000)));
  }
}
