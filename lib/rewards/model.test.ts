/**
 * Model-based property test of the whole engine on a real database: random sequences of sign-ups, referral
 * applies and usage/compute events (with ids drawn from a small pool, so replays happen) run against the
 * engine and against a plain in-memory model of the seed's rules. After every sequence the engine's totals
 * and network sizes equal the model's, replaying every event changes nothing, and the conservation check
 * finds nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { dec, type Decimal } from "@/lib/money";
import { applyReferral } from "@/lib/referrals/apply";
import { createAccount } from "@/lib/referrals/accounts";
import { integrationSetup } from "@/lib/testing/integration";
import { checkRewardsConservation } from "./check";
import { recordComputeEvents, recordUsageEvents, type ComputeEvent, type UsageEvent } from "./events";
import { computeEarnings } from "./rate-card";
import { seedRewards } from "@/lib/testing/programs";
import { directBonus, shareRate, usagePoints, USAGE_ENDPOINTS, type EarnerKind, type ShareLevel } from "./rules";

const { db } = await integrationSetup();

type Column = "base" | "directBonus" | "level1" | "level2" | "level3";

class Model {
  kind = new Map<string, EarnerKind>();
  referrer = new Map<string, string>();
  totals = new Map<string, Record<Column, Decimal>>();
  seen = new Set<string>();

  add(id: string, column: Column, amount: Decimal) {
    const t = this.totals.get(id) ?? {
      base: dec(0),
      directBonus: dec(0),
      level1: dec(0),
      level2: dec(0),
      level3: dec(0),
    };
    t[column] = t[column].plus(amount);
    this.totals.set(id, t);
  }

  /** The error the engine must give, or null when the apply must succeed. */
  refusal(account: string, code: string): string | null {
    if (account === code) return "SelfReferral";
    if (!this.kind.has(code)) return "UnknownReferralCode";
    if (this.referrer.has(account)) return "AlreadyReferred";
    if (this.kind.get(account) !== this.kind.get(code)) return "KindMismatch";
    for (let up: string | undefined = code; up; up = this.referrer.get(up)) if (up === account) return "ReferralCycle";
    return null;
  }

  apply(account: string, code: string) {
    this.referrer.set(account, code);
    this.add(code, "directBonus", directBonus(seedRewards, this.kind.get(code)!));
  }

  event(key: string, earner: string, base: Decimal) {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.add(earner, "base", base);
    let up = this.referrer.get(earner);
    for (const level of [1, 2, 3] as ShareLevel[]) {
      if (!up) break;
      this.add(up, `level${level}`, base.times(shareRate(seedRewards, this.kind.get(earner)!, level)));
      up = this.referrer.get(up);
    }
  }

  network(id: string) {
    const depthBelow = (descendant: string) => {
      let depth = 0;
      for (let up = this.referrer.get(descendant); up; up = this.referrer.get(up)) {
        depth++;
        if (up === id) return depth;
      }
      return 0;
    };
    const counts = { direct: 0, secondary: 0, tertiary: 0 };
    for (const other of this.kind.keys()) {
      const depth = depthBelow(other);
      if (depth === 1) counts.direct++;
      if (depth === 2) counts.secondary++;
      if (depth === 3) counts.tertiary++;
    }
    return counts;
  }
}

type Command =
  | { op: "signup"; kind: EarnerKind; referrer: number | null }
  | { op: "apply"; account: number; code: number; root: boolean }
  | { op: "usage"; user: number; endpoint: (typeof USAGE_ENDPOINTS)[number]; tokens: number; id: number }
  | { op: "compute"; provider: number; tokens: number; requests: number; uptime: number; id: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("signup" as const),
      kind: fc.constantFrom<EarnerKind>("USER", "PROVIDER"),
      // Half the sign-ups start a tree of their own, so late applies of whole subtrees happen often.
      referrer: fc.option(fc.nat(12), { nil: null, freq: 2 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("apply" as const),
      account: fc.nat(12),
      code: fc.nat(12),
      // Half the time a root (often with a subtree of its own) and a code of its kind, so late applies happen.
      root: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("usage" as const),
      user: fc.nat(12),
      endpoint: fc.constantFrom(...USAGE_ENDPOINTS),
      tokens: fc.nat(5000),
      id: fc.nat(15),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("compute" as const),
      provider: fc.nat(12),
      tokens: fc.nat(5000),
      requests: fc.nat(20),
      uptime: fc.nat(7200),
      id: fc.nat(15),
    }),
  },
);

let run = 0;

describe("engine vs model (property)", () => {
  it("totals, network sizes and replays agree with the seed's rules for any sequence of operations", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 30, maxLength: 80 }), async (commands) => {
        run++;
        const model = new Model();
        const accounts: string[] = [];
        const pick = (i: number, kind?: EarnerKind) => {
          const pool = kind ? accounts.filter((a) => model.kind.get(a) === kind) : accounts;
          return pool.length ? pool[i % pool.length]! : undefined;
        };
        const usage: UsageEvent[] = [];
        const compute: ComputeEvent[] = [];

        for (const cmd of commands) {
          if (cmd.op === "signup") {
            const referrer = cmd.referrer === null ? undefined : pick(cmd.referrer, cmd.kind);
            const { account } = await createAccount(db.prisma, {
              kind: cmd.kind === "USER" ? "user" : "provider",
              referrer,
            });
            model.kind.set(account.id, cmd.kind);
            if (referrer) model.apply(account.id, referrer);
            accounts.push(account.id);
          } else if (cmd.op === "apply") {
            const roots = accounts.filter((a) => !model.referrer.has(a));
            const account = cmd.root && roots.length ? roots[cmd.account % roots.length] : pick(cmd.account);
            const code = cmd.root && account ? pick(cmd.code, model.kind.get(account)) : pick(cmd.code);
            if (!account || !code) continue;
            const expected = model.refusal(account, code);
            const outcome = await applyReferral(db.prisma, account, code).then(
              () => null,
              (error: unknown) => {
                if (!(error instanceof DomainError)) throw error;
                return error.constructor.name;
              },
            );
            expect(outcome).toBe(expected);
            if (expected === null) model.apply(account, code);
          } else if (cmd.op === "usage") {
            const user = pick(cmd.user, "USER");
            if (!user) continue;
            const event = { requestId: `m${run}-u${cmd.id}`, userId: user, endpoint: cmd.endpoint, tokens: cmd.tokens };
            const [result] = await recordUsageEvents(db.prisma, [event]);
            if (!result!.duplicate) usage.push(event);
            model.event(`u:${event.requestId}`, user, usagePoints(seedRewards, cmd.endpoint, cmd.tokens));
          } else {
            const provider = pick(cmd.provider, "PROVIDER");
            if (!provider) continue;
            const event = {
              eventId: `m${run}-c${cmd.id}`,
              providerId: provider,
              tokensGenerated: cmd.tokens,
              requests: cmd.requests,
              uptimeSeconds: cmd.uptime,
            };
            const [result] = await recordComputeEvents(db.prisma, [event]);
            if (!result!.duplicate) compute.push(event);
            model.event(`c:${event.eventId}`, provider, computeEarnings(seedRewards, event));
          }
        }

        const snapshot = async () =>
          db.prisma.$queryRaw<
            { account_id: string; base: string; direct_bonus: string; level1: string; level2: string; level3: string }[]
          >`
            SELECT account_id, SUM(base)::text AS base, SUM(direct_bonus)::text AS direct_bonus, SUM(level1)::text AS level1,
                   SUM(level2)::text AS level2, SUM(level3)::text AS level3
            FROM account_total WHERE account_id = ANY(${accounts}::text[]) GROUP BY account_id ORDER BY account_id`;
        const before = await snapshot();
        for (const row of before) {
          const t = model.totals.get(row.account_id)!;
          expect([row.base, row.direct_bonus, row.level1, row.level2, row.level3].map((v) => dec(v).toFixed())).toEqual(
            [t.base, t.directBonus, t.level1, t.level2, t.level3].map((v) => v.toFixed()),
          );
        }
        expect(before.length).toBe([...model.totals.keys()].length);

        const counts = await db.prisma.$queryRaw<
          { account_id: string; direct: number; secondary: number; tertiary: number }[]
        >`
          SELECT account_id, SUM(direct)::int AS direct, SUM(secondary)::int AS secondary, SUM(tertiary)::int AS tertiary
          FROM network_count WHERE account_id = ANY(${accounts}::text[]) GROUP BY account_id`;
        for (const id of accounts) {
          const row = counts.find((c) => c.account_id === id);
          expect({ direct: row?.direct ?? 0, secondary: row?.secondary ?? 0, tertiary: row?.tertiary ?? 0 }).toEqual(
            model.network(id),
          );
        }

        // Replays, as one batch each: nothing moves and every result says duplicate.
        if (usage.length) expect((await recordUsageEvents(db.prisma, usage)).every((r) => r.duplicate)).toBe(true);
        if (compute.length)
          expect((await recordComputeEvents(db.prisma, compute)).every((r) => r.duplicate)).toBe(true);
        expect(await snapshot()).toEqual(before);
        expect(await checkRewardsConservation(db.prisma)).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });
});
