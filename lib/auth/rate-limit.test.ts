import { Redis } from "ioredis";
import { afterAll, describe, expect, it, vi } from "vitest";
import { MemoryCounter, RateLimited, RedisCounter, bucketsFor, enforceWriteLimit, type Counter } from "./rate-limit";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
const redisUp = await redis.connect().then(
  () => true,
  () => false,
);
afterAll(() => redis.disconnect());

const account = { type: "account" as const, accountId: `usr_rl_${Date.now()}`, via: "bearer" as const, keyId: "k1" };

async function exhaust(counter: Counter) {
  process.env.RATE_LIMIT_ACCOUNT_PER_MINUTE = "3";
  for (let i = 0; i < 3; i++) await enforceWriteLimit(account, counter);
  const error = await enforceWriteLimit(account, counter).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RateLimited);
  const retryAfter = Number((error as RateLimited).headers?.["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe("write rate limits", () => {
  it("refuses the write after the limit in process, with Retry-After", async () => {
    await exhaust(new MemoryCounter());
  });

  it.skipIf(!redisUp)("counts in Redis so every instance shares the window", async () => {
    await exhaust(new RedisCounter(redis));
    const other = new RedisCounter(redis);
    await expect(enforceWriteLimit(account, other)).rejects.toBeInstanceOf(RateLimited);
  });

  it("counts a key's operator calls and its calls for accounts in separate buckets", async () => {
    const operator = bucketsFor({ type: "operator", keyId: "k9", keyPrefix: "sk_k9" }).map((b) => b.bucket);
    const forAccount = bucketsFor({ type: "account", accountId: "usr_x", via: "bearer", keyId: "k9" }).map(
      (b) => b.bucket,
    );
    expect(operator.filter((bucket) => forAccount.includes(bucket))).toEqual([]);
  });

  it("lets a key's account calls through when its operator calls are used up, and the other way round", async () => {
    vi.stubEnv("RATE_LIMIT_SECRET_KEY_PER_MINUTE", "2");
    vi.stubEnv("RATE_LIMIT_PUBLISHABLE_KEY_PER_MINUTE", "2");
    try {
      const counter = new MemoryCounter();
      const operator = { type: "operator" as const, keyId: "k8", keyPrefix: "sk_k8" };
      const forAccount = (n: number) => ({
        type: "account" as const,
        accountId: `usr_k8_${n}`,
        via: "bearer" as const,
        keyId: "k8",
      });
      await enforceWriteLimit(operator, counter);
      await enforceWriteLimit(operator, counter);
      await expect(enforceWriteLimit(operator, counter)).rejects.toBeInstanceOf(RateLimited);
      await enforceWriteLimit(forAccount(1), counter);
      await enforceWriteLimit(forAccount(2), counter);
      await expect(enforceWriteLimit(forAccount(3), counter)).rejects.toBeInstanceOf(RateLimited);
      await expect(enforceWriteLimit(operator, counter)).rejects.toBeInstanceOf(RateLimited);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("starts a new window after the old one ends", async () => {
    const counter = new MemoryCounter();
    const t0 = 1_000_000 * 60_000;
    expect((await counter.hit("b", 60_000, t0)).count).toBe(1);
    expect((await counter.hit("b", 60_000, t0 + 59_999)).count).toBe(2);
    expect((await counter.hit("b", 60_000, t0 + 60_000)).count).toBe(1);
  });
});

describe("sliding admissions (the throttles of routes anyone may call)", () => {
  // A second before a clock minute ends: a fixed window would start afresh two seconds later.
  const t0 = 1_000_000 * 60_000 - 1_000;

  async function slides(counter: MemoryCounter | RedisCounter, bucket: string) {
    for (let i = 0; i < 3; i++) expect(await counter.admit(bucket, 3, 60_000, t0 + i)).toEqual({ admitted: true });
    expect(await counter.admit(bucket, 3, 60_000, t0 + 2_000)).toEqual({ admitted: false, retryInMs: 58_000 });
    // The first one has left the window; the second leaves 1 ms later.
    expect(await counter.admit(bucket, 3, 60_000, t0 + 60_000)).toEqual({ admitted: true });
    expect(await counter.admit(bucket, 3, 60_000, t0 + 60_000)).toEqual({ admitted: false, retryInMs: 1 });
  }

  it("admit at most max in any window, in process", async () => {
    await slides(new MemoryCounter(), "sliding");
  });

  it.skipIf(!redisUp)("admit at most max in any window, in Redis", async () => {
    await slides(new RedisCounter(redis), `sliding-${Date.now()}-${Math.random()}`);
  });
});
