/**
 * Request and response shapes of the rewards routes (docs/api.md, Events and Stats), as zod schemas: they
 * validate the input and document the API.
 */
import { z } from "@/lib/api/openapi";
import { oneOrBatch } from "@/lib/api/one-or-batch";
import { MAX_BATCH } from "./events";
import { MAX_EVENT_COUNT, USAGE_ENDPOINTS } from "./rules";

const EventId = z.string().min(1).max(200);
const AccountId = z.string().min(1).max(64);
/** Whole, non-negative, bounded: negative, fractional, NaN or huge counts are refused (400). */
const Count = z.number().int().min(0).max(MAX_EVENT_COUNT);

export const UsageEventSchema = z.object({
  requestId: EventId,
  userId: AccountId,
  endpoint: z.enum(USAGE_ENDPOINTS),
  tokens: Count.optional(),
});

export const ComputeEventSchema = z.object({
  eventId: EventId,
  providerId: AccountId,
  tokensGenerated: Count,
  requests: Count,
  uptimeSeconds: Count,
  model: z.string().min(1).max(200).optional(),
  endpoint: z.string().min(1).max(200).optional(),
  latencyMs: z.number().min(0).max(MAX_EVENT_COUNT).optional(),
});

export const UsageBody = oneOrBatch(UsageEventSchema, MAX_BATCH);
export const ComputeBody = oneOrBatch(ComputeEventSchema, MAX_BATCH);

/** The reference's compute event (docs/api.md, Events): the default rate card prices it at 0.696 points. */
export const computeEventExample = {
  eventId: "cmp_5521",
  providerId: "prov_7Yh3Nc0Qa6Rb2Tm9Wk4Lp",
  tokensGenerated: 1000,
  requests: 2,
  uptimeSeconds: 3600,
  model: "llama3.3:70b",
  endpoint: "/chat/completions",
  latencyMs: 850,
} satisfies z.input<typeof ComputeEventSchema>;

const Share = z.object({ accountId: z.string(), level: z.number().int(), points: z.number() });
const Outcome = { points: z.number(), shares: z.array(Share), duplicate: z.boolean() };

export const UsageResponse = z.object({ results: z.array(z.object({ requestId: z.string(), ...Outcome })) });
export const ComputeResponse = z.object({ results: z.array(z.object({ eventId: z.string(), ...Outcome })) });

const Earnings = {
  base: z.number(),
  directBonus: z.number(),
  level1: z.number(),
  level2: z.number(),
  level3: z.number(),
  adjustments: z
    .number()
    .openapi({ description: "Operator POINTS adjustments (docs/corrections.md); included in total, never shared" }),
  total: z.number(),
};

export const ReferralStatsResponse = z.object({
  accountId: z.string(),
  kind: z.enum(["user", "provider"]),
  referralCode: z.string(),
  referredBy: z.string().nullable(),
  network: z.object({
    direct: z.number().int(),
    secondary: z.number().int(),
    tertiary: z.number().int(),
    total: z.number().int(),
  }),
  earnings: z.object(Earnings),
  history: z.array(z.object({ date: z.string(), ...Earnings })),
  metrics: z.object({
    earnings30d: z.number(),
    activeReferrals30d: z.number().int(),
    topReferrals: z.array(z.object({ accountId: z.string(), level: z.number().int(), earned: z.number() })),
  }),
});

export const UserStatsParams = z.object({ userId: AccountId });
export const ProviderStatsParams = z.object({ providerId: AccountId });

const quietDay = { base: 0, directBonus: 0, level1: 0, level2: 0, level3: 0, adjustments: 0, total: 0 };

/** A user's stats as the reference shows them (docs/api.md, Stats); the history is shortened to three of its 30 days. */
export function referralStatsExample(kind: "user" | "provider") {
  const id = kind === "user" ? "usr_3kTMd92LxQp0aZr8WvYb" : "prov_7Yh3Nc0Qa6Rb2Tm9Wk4Lp";
  const referral = kind === "user" ? "usr_Pq4Wn7Xc2Lk9Mj3Hb5Gv" : "prov_Qw3Er6Ty9Ui2Op5As8Df";
  const today = { base: 2, directBonus: 25, level1: 0.3, level2: 0.16, level3: 0.08, adjustments: 0, total: 27.54 };
  return {
    accountId: id,
    kind,
    referralCode: id,
    referredBy: null,
    network: { direct: 1, secondary: 1, tertiary: 1, total: 3 },
    earnings: today,
    history: [
      { date: "2026-01-24", ...quietDay },
      { date: "2026-02-21", ...quietDay },
      { date: "2026-02-22", ...today },
    ],
    metrics: {
      earnings30d: 27.54,
      activeReferrals30d: 3,
      topReferrals: [{ accountId: referral, level: 1, earned: 0.3 }],
    },
  } satisfies z.input<typeof ReferralStatsResponse>;
}
