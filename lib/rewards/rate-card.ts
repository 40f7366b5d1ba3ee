/**
 * The provider rate card: how much a provider earns for the compute it served. The rates are the `rateCard` and
 * `uptimePointsPerHour` of the rewards program in force (lib/programs; docs/rewards.md lists the defaults and how
 * to change them). Per compute event:
 *
 *   work     = requests × tier.perRequest × service × complexity
 *            + (token services only, by default chat and embeddings) tokensGenerated × tier.perToken × service
 *   earnings = work × latencyMultiplier + uptimeSeconds × uptimePointsPerHour / 3600
 *
 * - tier and complexity come from the model (`models`; an unknown or absent model is `unknownModel`),
 * - service from the endpoint (`serviceMultiplier`; an absent or unlisted endpoint is `other`),
 * - latencyMultiplier is `fastMultiplier` under `fastBelowMs`, `slowMultiplier` over `slowAboveMs`, else (or
 *   without latencyMs) 1.
 *
 * The result is rounded down to EARNINGS_SCALE decimals (with the default card nothing is ever cut: every
 * product has at most 8 decimals), which keeps every referral share of it exact in Decimal(38, 18).
 */
import { Decimal, dec } from "@/lib/money";
import type { RewardsDocument } from "@/lib/programs/schemas";

export type RateCard = RewardsDocument["rateCard"];
export type ModelRate = RateCard["unknownModel"];

export const EARNINGS_SCALE = 15;

export interface ComputeWork {
  tokensGenerated: number;
  requests: number;
  uptimeSeconds: number;
  model?: string;
  endpoint?: string;
  latencyMs?: number;
}

export function modelRate(card: RateCard, model: string | undefined): ModelRate {
  return (model !== undefined ? card.models[model.trim().toLowerCase()] : undefined) ?? card.unknownModel;
}

export function serviceOf(card: RateCard, endpoint: string | undefined): string {
  return endpoint !== undefined && endpoint !== "other" && card.serviceMultiplier[endpoint] !== undefined
    ? endpoint
    : "other";
}

export function latencyMultiplier(card: RateCard, latencyMs: number | undefined): Decimal {
  if (latencyMs === undefined) return dec(1);
  if (latencyMs < card.latency.fastBelowMs) return card.latency.fastMultiplier;
  if (latencyMs > card.latency.slowAboveMs) return card.latency.slowMultiplier;
  return dec(1);
}

/** A provider's earnings for one compute event, by the formula at the top of this module. */
export function computeEarnings(rules: RewardsDocument, work: ComputeWork): Decimal {
  const card = rules.rateCard;
  const { tier: tierName, complexity } = modelRate(card, work.model);
  const tier = card.tiers[tierName]!;
  const service = serviceOf(card, work.endpoint);
  const multiplier = card.serviceMultiplier[service]!;
  const perRequest = tier.perRequest.times(multiplier).times(complexity).times(work.requests);
  const perToken = card.tokenServices.includes(service)
    ? tier.perToken.times(multiplier).times(work.tokensGenerated)
    : dec(0);
  const uptime = rules.uptimePointsPerHour.times(work.uptimeSeconds).dividedBy(3600);
  return perRequest
    .plus(perToken)
    .times(latencyMultiplier(card, work.latencyMs))
    .plus(uptime)
    .toDecimalPlaces(EARNINGS_SCALE, Decimal.ROUND_DOWN);
}
