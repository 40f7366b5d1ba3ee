/**
 * The provider rate card: how much a provider earns for the compute it served. This module is the one place
 * the rates live; change them here (every value is a decimal string, so nothing is rounded by a float).
 *
 * Per compute event:
 *
 *   work     = requests × tier.perRequest × service × complexity
 *            + (chat and embeddings only) tokensGenerated × tier.perToken × service
 *   earnings = work × latencyMultiplier + uptimeSeconds × uptimePerHour / 3600
 *
 * - tier and complexity come from the model (MODELS; an unknown or absent model is blue-surge at 1.0),
 * - service from the endpoint (SERVICE_MULTIPLIER; an absent or unlisted endpoint is "other", 0.5),
 * - latencyMultiplier is 1.1 under 2 s, 0.9 over 10 s, else (or without latencyMs) 1.0,
 * - uptime pays every hour a provider is available, whatever it served; the hourly rate is our choice:
 *   0.036 points, i.e. exactly 0.00001 per second, so uptime alone never creates an inexact decimal.
 *
 * The result is rounded down to EARNINGS_SCALE decimals (with the default card nothing is ever cut: every
 * product has at most 8 decimals), which keeps every referral share of it exact in Decimal(38, 18).
 */
import { Decimal, dec } from "@/lib/money";

export type TierName = "tide-pool" | "blue-surge" | "open-ocean" | "mariana-depth";

export interface Tier {
  /** VRAM range the tier stands for, for documentation and dashboards. */
  vram: string;
  perRequest: string;
  perToken: string;
}

export interface ModelRate {
  tier: TierName;
  /** 0.3 (tiny) to 3.0 (largest). */
  complexity: string;
}

export interface RateCard {
  tiers: Record<TierName, Tier>;
  /** Keyed by endpoint; `other` applies to an absent or unlisted endpoint. */
  serviceMultiplier: Record<string, string> & { other: string };
  /** Services whose generated tokens earn `perToken`. */
  tokenServices: readonly string[];
  /** Keyed by lower-case model name. */
  models: Record<string, ModelRate>;
  unknownModel: ModelRate;
  latency: { fastBelowMs: number; fastMultiplier: string; slowAboveMs: number; slowMultiplier: string };
  uptimePerHour: string;
}

export const EARNINGS_SCALE = 15;

export const DEFAULT_RATE_CARD: RateCard = {
  tiers: {
    "tide-pool": { vram: "≤ 4 GB", perRequest: "0.005", perToken: "0.00001" },
    "blue-surge": { vram: "4–8 GB", perRequest: "0.015", perToken: "0.00003" },
    "open-ocean": { vram: "8–22 GB", perRequest: "0.035", perToken: "0.00007" },
    "mariana-depth": { vram: "22 GB +", perRequest: "0.075", perToken: "0.00015" },
  },
  serviceMultiplier: {
    "/chat/completions": "1.0",
    "/embeddings": "0.3",
    "/scrape": "0.2",
    "/tts": "0.6",
    other: "0.5",
  },
  tokenServices: ["/chat/completions", "/embeddings"],
  models: {
    "nomic-embed-text": { tier: "tide-pool", complexity: "0.3" },
    "mxbai-embed-large": { tier: "tide-pool", complexity: "0.4" },
    "qwen2.5:0.5b": { tier: "tide-pool", complexity: "0.3" },
    "llama3.2:1b": { tier: "tide-pool", complexity: "0.4" },
    "gemma3:1b": { tier: "tide-pool", complexity: "0.4" },
    "llama3.2:3b": { tier: "blue-surge", complexity: "0.6" },
    "qwen2.5:3b": { tier: "blue-surge", complexity: "0.6" },
    "kokoro-82m": { tier: "blue-surge", complexity: "0.5" },
    "mistral:7b": { tier: "blue-surge", complexity: "1.0" },
    "qwen2.5:7b": { tier: "blue-surge", complexity: "1.0" },
    "llama3.1:8b": { tier: "blue-surge", complexity: "1.1" },
    "gemma3:12b": { tier: "open-ocean", complexity: "1.5" },
    "qwen2.5:14b": { tier: "open-ocean", complexity: "1.7" },
    "deepseek-r1:14b": { tier: "open-ocean", complexity: "1.8" },
    "gemma3:27b": { tier: "mariana-depth", complexity: "2.3" },
    "qwen2.5:32b": { tier: "mariana-depth", complexity: "2.5" },
    "deepseek-r1:32b": { tier: "mariana-depth", complexity: "2.6" },
    "llama3.3:70b": { tier: "mariana-depth", complexity: "3.0" },
  },
  unknownModel: { tier: "blue-surge", complexity: "1.0" },
  latency: { fastBelowMs: 2000, fastMultiplier: "1.1", slowAboveMs: 10_000, slowMultiplier: "0.9" },
  uptimePerHour: "0.036",
};

export interface ComputeWork {
  tokensGenerated: number;
  requests: number;
  uptimeSeconds: number;
  model?: string;
  endpoint?: string;
  latencyMs?: number;
}

export function modelRate(model: string | undefined, card: RateCard = DEFAULT_RATE_CARD): ModelRate {
  return (model !== undefined ? card.models[model.trim().toLowerCase()] : undefined) ?? card.unknownModel;
}

export function serviceOf(endpoint: string | undefined, card: RateCard = DEFAULT_RATE_CARD): string {
  return endpoint !== undefined && endpoint !== "other" && card.serviceMultiplier[endpoint] !== undefined
    ? endpoint
    : "other";
}

export function latencyMultiplier(latencyMs: number | undefined, card: RateCard = DEFAULT_RATE_CARD): Decimal {
  if (latencyMs === undefined) return dec(1);
  if (latencyMs < card.latency.fastBelowMs) return dec(card.latency.fastMultiplier);
  if (latencyMs > card.latency.slowAboveMs) return dec(card.latency.slowMultiplier);
  return dec(1);
}

/** A provider's earnings for one compute event, by the formula at the top of this module. */
export function computeEarnings(work: ComputeWork, card: RateCard = DEFAULT_RATE_CARD): Decimal {
  const { tier: tierName, complexity } = modelRate(work.model, card);
  const tier = card.tiers[tierName];
  const service = serviceOf(work.endpoint, card);
  const multiplier = dec(card.serviceMultiplier[service]!);
  const perRequest = dec(tier.perRequest).times(multiplier).times(dec(complexity)).times(work.requests);
  const perToken = card.tokenServices.includes(service)
    ? dec(tier.perToken).times(multiplier).times(work.tokensGenerated)
    : dec(0);
  const uptime = dec(card.uptimePerHour).times(work.uptimeSeconds).dividedBy(3600);
  return perRequest
    .plus(perToken)
    .times(latencyMultiplier(work.latencyMs, card))
    .plus(uptime)
    .toDecimalPlaces(EARNINGS_SCALE, Decimal.ROUND_DOWN);
}
