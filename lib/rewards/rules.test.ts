import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dec } from "@/lib/money";
import { seedRewards } from "@/lib/testing/programs";
import {
  directBonus,
  distributeShares,
  MAX_EVENT_COUNT,
  shareRate,
  usagePoints,
  type EarnerKind,
  type UsageEndpoint,
} from "./rules";

describe("usage points (the seed's table)", () => {
  it.each<[UsageEndpoint, number | undefined, string]>([
    ["/chat/completions", 1000, "2"],
    ["/chat/completions", undefined, "1"],
    ["/chat/completions", 0, "1"],
    ["/chat/completions", 1, "1.001"],
    ["/chat/completions", 123_457, "124.457"],
    ["/embeddings", 1000, "1"],
    ["/embeddings", undefined, "0.5"],
    ["/embeddings", 3, "0.5015"],
    ["/scrape", undefined, "0.2"],
    ["/scrape", 5000, "0.2"],
    ["/tts", undefined, "0.8"],
    ["/tts", 5000, "0.8"],
  ])("%s with %s tokens = %s points", (endpoint, tokens, points) => {
    expect(usagePoints(seedRewards, endpoint, tokens).toFixed()).toBe(points);
  });
});

describe("direct bonus", () => {
  it("is 25 points for a user's code and 50 for a provider's", () => {
    expect(directBonus(seedRewards, "USER").toFixed()).toBe("25");
    expect(directBonus(seedRewards, "PROVIDER").toFixed()).toBe("50");
  });
});

describe("multi-level shares of a base reward", () => {
  const chain = ["r1", "r2", "r3"] as const;

  it.each<[EarnerKind, string, [string, string, string]]>([
    // 1000-token chat: 2 points → 15 / 8 / 4 %
    ["USER", "2", ["0.3", "0.16", "0.08"]],
    ["USER", "0.2", ["0.03", "0.016", "0.008"]],
    ["USER", "1.0015", ["0.150225", "0.08012", "0.04006"]],
    // providers: 10 / 5 / 2.5 %
    ["PROVIDER", "2", ["0.2", "0.1", "0.05"]],
    ["PROVIDER", "0.0165", ["0.00165", "0.000825", "0.0004125"]],
  ])("%s base %s pays %j on levels 1-3", (kind, base, expected) => {
    const shares = distributeShares(seedRewards, kind, dec(base), chain);
    expect(shares.map((s) => [s.accountId, s.level, s.points.toFixed()])).toEqual([
      ["r1", 1, expected[0]],
      ["r2", 2, expected[1]],
      ["r3", 3, expected[2]],
    ]);
  });

  it("stops where the chain stops", () => {
    expect(distributeShares(seedRewards, "USER", dec(2), ["r1", null, null]).map((s) => s.level)).toEqual([1]);
    expect(distributeShares(seedRewards, "USER", dec(2), ["r1", "r2", null]).map((s) => s.level)).toEqual([1, 2]);
    expect(distributeShares(seedRewards, "USER", dec(2), [null, null, null])).toEqual([]);
  });

  it("pays the levels of the version it is given, and no more", () => {
    const rules = { ...seedRewards, shares: { user: [dec(20)], provider: [] } };
    expect(distributeShares(rules, "USER", dec(2), chain).map((s) => [s.level, s.points.toFixed()])).toEqual([
      [1, "0.4"],
    ]);
    expect(distributeShares(rules, "PROVIDER", dec(2), chain)).toEqual([]);
    expect(shareRate(rules, "USER", 2).toFixed()).toBe("0");
  });

  it("rounds a share down to the ledger's 18 decimals when a rate has more decimals than the defaults", () => {
    const rules = { ...seedRewards, shares: { user: [dec("33.333")], provider: [] } };
    const [share] = distributeShares(rules, "USER", dec("0.000000000000001"), chain);
    expect(share!.points.toFixed()).toBe("0.000000000000000333");
  });

  const kinds = fc.constantFrom<EarnerKind>("USER", "PROVIDER");
  // Any base the engine can produce: up to MAX_EVENT_COUNT-scale values with up to 15 decimals.
  const bases = fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 24n }), fc.integer({ min: 0, max: 15 }))
    .map(([digits, scale]) => dec(digits.toString()).dividedBy(dec(10).pow(scale)));
  const chains = fc.tuple(
    fc.option(fc.constant("a1"), { nil: null }),
    fc.option(fc.constant("a2"), { nil: null }),
    fc.option(fc.constant("a3"), { nil: null }),
  );

  it("property: the shares sum to (sum of the paid levels' rates) × base, exactly, and fit Decimal(38, 18)", () => {
    fc.assert(
      fc.property(kinds, bases, chains, (kind, base, ancestors) => {
        const shares = distributeShares(seedRewards, kind, base, ancestors);
        const rates = shares.reduce((t, s) => t.plus(shareRate(seedRewards, kind, s.level)), dec(0));
        expect(shares.reduce((t, s) => t.plus(s.points), dec(0)).equals(rates.times(base))).toBe(true);
        for (const s of shares) {
          expect(s.points.equals(base.times(shareRate(seedRewards, kind, s.level)))).toBe(true);
          expect(s.points.decimalPlaces()).toBeLessThanOrEqual(18);
        }
      }),
    );
  });

  it("property: never a level 4, never more than the three rates, and levels in order without gaps", () => {
    fc.assert(
      fc.property(kinds, bases, chains, (kind, base, ancestors) => {
        const levels = distributeShares(seedRewards, kind, base, ancestors).map((s) => s.level);
        expect(levels).toEqual([1, 2, 3].slice(0, levels.length));
        expect(levels.every((l) => l <= 3)).toBe(true);
        const all = distributeShares(seedRewards, kind, base, ["a", "b", "c"]).reduce(
          (t, s) => t.plus(s.points),
          dec(0),
        );
        expect(all.lessThanOrEqualTo(base.times(kind === "USER" ? "0.27" : "0.175"))).toBe(true);
      }),
    );
  });

  it("property: usage points of any valid token count are exact with at most 4 decimals", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<UsageEndpoint>("/chat/completions", "/embeddings", "/scrape", "/tts"),
        fc.integer({ min: 0, max: MAX_EVENT_COUNT }),
        (endpoint, tokens) => {
          const points = usagePoints(seedRewards, endpoint, tokens);
          expect(points.decimalPlaces()).toBeLessThanOrEqual(4);
          expect(points.greaterThan(0)).toBe(true);
        },
      ),
    );
  });
});
