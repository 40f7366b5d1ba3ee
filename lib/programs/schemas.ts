/**
 * The two programs' documents (docs/api.md, Programs): what a version holds, what a change may say, and what the
 * routes answer. Every rate is an exact decimal: sent as a JSON number or a decimal string, stored as a decimal
 * string, answered as a JSON number with its exact digits.
 *
 * The bounds keep every amount a rule computes inside Decimal(38, 18): an event carries at most 10^9 of anything
 * (MAX_EVENT_COUNT), a transaction amount less than 10^20 with at most 15 decimals.
 */
import { z } from "@/lib/api/openapi";
import { CURRENCIES, Decimal, dec } from "@/lib/money";
import { USAGE_ENDPOINTS } from "@/lib/rewards/rules";

export const PROGRAM_NAMES = ["rewards", "perpetual"] as const;
export type ProgramName = (typeof PROGRAM_NAMES)[number];

/**
 * Percentages are applied to amounts of up to 15 decimals; with at most 3 decimals of their own (6 as a
 * fraction) a result has at most 21, which the rules round down to the ledger's 18 (with one decimal, as in the
 * defaults, nothing is ever cut).
 */
export const PERCENT_DECIMALS = 3;

const DECIMAL_STRING = /^[0-9]+(\.[0-9]+)?$/;

interface DecimalBounds {
  /** Inclusive. */
  min?: string;
  /** Inclusive. */
  max: string;
  decimals: number;
  description: string;
  example: number;
}

/** A non-negative exact decimal within bounds, from a JSON number or a decimal string. */
function decimal(bounds: DecimalBounds) {
  const min = dec(bounds.min ?? 0);
  return z
    .union([z.number(), z.string()])
    .transform((value, ctx): Decimal => {
      let parsed: Decimal;
      if (typeof value === "number") {
        if (!Number.isFinite(value)) {
          ctx.addIssue({ code: "custom", message: "must be a finite number" });
          return z.NEVER;
        }
        parsed = dec(value);
      } else if (DECIMAL_STRING.test(value.trim())) {
        parsed = dec(value);
      } else {
        ctx.addIssue({ code: "custom", message: 'must be a number or a decimal string such as "1.5"' });
        return z.NEVER;
      }
      if (parsed.lessThan(min) || parsed.greaterThan(bounds.max)) {
        ctx.addIssue({ code: "custom", message: `must be between ${min.toFixed()} and ${bounds.max}` });
        return z.NEVER;
      }
      if (parsed.decimalPlaces() > bounds.decimals) {
        ctx.addIssue({ code: "custom", message: `may have at most ${bounds.decimals} decimal places` });
        return z.NEVER;
      }
      return parsed;
    })
    .openapi({ type: "number", description: bounds.description, example: bounds.example });
}

const Percent = decimal({
  max: "100",
  decimals: PERCENT_DECIMALS,
  description: `Percent, 0 to 100, at most ${PERCENT_DECIMALS} decimals`,
  example: 15,
});
/** Points per occurrence: at most 15 decimals, so every reward and its shares stay exact. */
const Points = (example: number) =>
  decimal({ max: "1000000", decimals: 15, description: "Points, 0 to 10^6, at most 15 decimals", example });
const Multiplier = (example: number) =>
  decimal({ max: "10", decimals: 6, description: "Multiplier, 0 to 10, at most 6 decimals", example });
const Days = z.number().int().min(0).max(365);

const ShareLevels = z
  .array(Percent)
  .max(3, "at most 3 levels")
  .superRefine((levels, ctx) => {
    const total = levels.reduce((t, p) => t.plus(p), new Decimal(0));
    if (total.greaterThan(100)) {
      ctx.addIssue({ code: "custom", message: `the levels sum to ${total.toFixed()}; at most 100` });
    }
  })
  .openapi({ description: "Percent of the earner's base reward paid on levels 1, 2, 3", example: [15, 8, 4] });

const UsageRule = z.strictObject({ base: Points(1), perToken: Points(0.001) });

const TierName = z.string().min(1).max(64);
const ModelRate = z.strictObject({
  tier: TierName,
  complexity: Multiplier(1),
});

const RateCard = z
  .strictObject({
    tiers: z.record(TierName, z.strictObject({ perRequest: Points(0.015), perToken: Points(0.00003) })),
    serviceMultiplier: z
      .record(z.string().min(1).max(64), Multiplier(1))
      .refine((m) => m.other !== undefined, "needs an `other` multiplier (for an absent or unlisted endpoint)"),
    tokenServices: z.array(z.string().min(1).max(64)).max(64),
    models: z.record(
      z
        .string()
        .min(1)
        .max(128)
        .refine((name) => name === name.trim().toLowerCase(), "model names are lower case, without spaces around"),
      ModelRate,
    ),
    unknownModel: ModelRate,
    latency: z.strictObject({
      fastBelowMs: z.number().int().min(0).max(3_600_000),
      fastMultiplier: Multiplier(1.1),
      slowAboveMs: z.number().int().min(0).max(3_600_000),
      slowMultiplier: Multiplier(0.9),
    }),
  })
  .superRefine((card, ctx) => {
    const tierOf = (rate: { tier: string }, path: (string | number)[]) => {
      if (card.tiers[rate.tier] === undefined) {
        ctx.addIssue({ code: "custom", path, message: `no tier named "${rate.tier}"` });
      }
    };
    for (const [name, rate] of Object.entries(card.models)) tierOf(rate, ["models", name, "tier"]);
    tierOf(card.unknownModel, ["unknownModel", "tier"]);
    if (card.latency.slowAboveMs < card.latency.fastBelowMs) {
      ctx.addIssue({ code: "custom", path: ["latency", "slowAboveMs"], message: "must be at least fastBelowMs" });
    }
  });

export const RewardsDocument = z.strictObject({
  directBonus: z.strictObject({ user: Points(25), provider: Points(50) }),
  shares: z.strictObject({ user: ShareLevels, provider: ShareLevels }),
  usagePoints: z.strictObject(
    Object.fromEntries(USAGE_ENDPOINTS.map((e) => [e, UsageRule])) as Record<
      (typeof USAGE_ENDPOINTS)[number],
      typeof UsageRule
    >,
  ),
  rateCard: RateCard,
  uptimePointsPerHour: decimal({
    max: "1000000",
    decimals: 15,
    description: "Points a provider earns per hour of uptime",
    example: 0.036,
  }),
});
export type RewardsDocument = z.output<typeof RewardsDocument>;

export const PerpetualDocument = z
  .strictObject({
    feePercent: Percent.openapi({ description: "The whole transaction fee, percent of the amount", example: 1.5 }),
    referrerPercent: Percent.openapi({
      description: "The level-1 referrer's part of the fee, percent of the amount; at most feePercent",
      example: 0.3,
    }),
    currencies: z
      .array(z.enum(CURRENCIES))
      .min(1)
      .refine((list) => new Set(list).size === list.length, "lists a currency twice"),
    cooldownDays: Days.openapi({ description: "Days from the last completed claim to the next", example: 7 }),
    holdDays: Days.openapi({ description: "Days a new fee entry waits before it can be claimed", example: 0 }),
    minClaimUsd: decimal({
      min: "0.000001",
      max: "1000000",
      decimals: 6,
      description: "The smallest claim paid, in USD (one USDC base unit at least)",
      example: 0.000001,
    }),
  })
  .superRefine((doc, ctx) => {
    if (doc.referrerPercent.greaterThan(doc.feePercent)) {
      ctx.addIssue({ code: "custom", path: ["referrerPercent"], message: "must be at most feePercent" });
    }
  });
export type PerpetualDocument = z.output<typeof PerpetualDocument>;

export interface ProgramDocuments {
  rewards: RewardsDocument;
  perpetual: PerpetualDocument;
}

export const DOCUMENT_SCHEMAS = { rewards: RewardsDocument, perpetual: PerpetualDocument } as const;

export const ProgramParams = z.object({ name: z.string().openapi({ example: "rewards" }) });

export const ProgramPatch = z.record(z.string(), z.unknown()).openapi({
  description:
    "A partial document: objects are merged key by key, arrays and values replaced, null removes a key. The merged document must be valid.",
  example: { shares: { user: [20, 8, 4] } },
});

const Versioned = { version: z.number().int().min(1), effectiveFrom: z.string().openapi({ format: "date-time" }) };
export const RewardsProgram = RewardsDocument.extend(Versioned);
export const PerpetualProgram = z.object({ ...PerpetualDocument.shape, ...Versioned });
export const ProgramsResponse = z.object({ rewards: RewardsProgram, perpetual: PerpetualProgram });
export const ProgramVersion = z.union([RewardsProgram, PerpetualProgram]);
export const ProgramVersionsResponse = z.object({ versions: z.array(ProgramVersion) });

const rewardsExample = {
  version: 2,
  effectiveFrom: "2026-03-01T12:00:00.000Z",
  directBonus: { user: 25, provider: 50 },
  shares: { user: [20, 8, 4], provider: [10, 5, 2.5] },
  usagePoints: {
    "/chat/completions": { base: 1, perToken: 0.001 },
    "/embeddings": { base: 0.5, perToken: 0.0005 },
    "/scrape": { base: 0.2, perToken: 0 },
    "/tts": { base: 0.8, perToken: 0 },
  },
  rateCard: {
    tiers: { "blue-surge": { perRequest: 0.015, perToken: 0.00003 } },
    serviceMultiplier: { "/chat/completions": 1, "/embeddings": 0.3, other: 0.5 },
    tokenServices: ["/chat/completions", "/embeddings"],
    models: { "mistral:7b": { tier: "blue-surge", complexity: 1 } },
    unknownModel: { tier: "blue-surge", complexity: 1 },
    latency: { fastBelowMs: 2000, fastMultiplier: 1.1, slowAboveMs: 10000, slowMultiplier: 0.9 },
  },
  uptimePointsPerHour: 0.036,
};
const perpetualExample = {
  version: 1,
  effectiveFrom: "2026-01-01T00:00:00.000Z",
  feePercent: 1.5,
  referrerPercent: 0.3,
  currencies: [...CURRENCIES],
  cooldownDays: 7,
  holdDays: 0,
  minClaimUsd: 0.000001,
};

/** The reference's examples (a rate card abbreviated to one tier and one model). */
export const programExamples = {
  programs: { rewards: rewardsExample, perpetual: perpetualExample },
  versions: {
    versions: [rewardsExample, { ...rewardsExample, version: 1, shares: { user: [15, 8, 4], provider: [10, 5, 2.5] } }],
  },
  change: { shares: { user: [20, 8, 4] } },
  changed: rewardsExample,
};
