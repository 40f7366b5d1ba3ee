import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dec } from "@/lib/money";
import { seedRewards } from "@/lib/testing/programs";
import { computeEarnings, EARNINGS_SCALE, type ComputeWork } from "./rate-card";
import { MAX_EVENT_COUNT } from "./rules";

const work = (w: Partial<ComputeWork>): ComputeWork => ({ tokensGenerated: 0, requests: 0, uptimeSeconds: 0, ...w });

describe("provider rate card (version 1 of the rewards program)", () => {
  it.each<[string, Partial<ComputeWork>, string]>([
    // unknown model: blue-surge (0.015 / request, 0.00003 / token), complexity 1.0; chat ×1.0
    ["one chat request, unknown model", { requests: 1, endpoint: "/chat/completions" }, "0.015"],
    ["1000 chat tokens, unknown model", { tokensGenerated: 1000, endpoint: "/chat/completions" }, "0.03"],
    ["chat request + 1000 tokens", { requests: 1, tokensGenerated: 1000, endpoint: "/chat/completions" }, "0.045"],
    // tiers via known models
    [
      "tide-pool llama3.2:1b (0.4)",
      { requests: 10, tokensGenerated: 1000, endpoint: "/chat/completions", model: "llama3.2:1b" },
      "0.03",
    ],
    [
      "open-ocean gemma3:12b (1.5)",
      { requests: 2, tokensGenerated: 100, endpoint: "/chat/completions", model: "gemma3:12b" },
      "0.112",
    ],
    [
      "mariana-depth llama3.3:70b (3.0)",
      { requests: 1, tokensGenerated: 1000, endpoint: "/chat/completions", model: "llama3.3:70b" },
      "0.375",
    ],
    [
      "model names are case-insensitive",
      { requests: 1, endpoint: "/chat/completions", model: "LLaMA3.3:70B" },
      "0.225",
    ],
    // services: embeddings ×0.3 with tokens; scrape ×0.2, tts ×0.6 without tokens; other ×0.5
    [
      "embeddings",
      { requests: 1, tokensGenerated: 1000, endpoint: "/embeddings", model: "nomic-embed-text" },
      "0.00345",
    ],
    ["scrape ignores tokens", { requests: 1, tokensGenerated: 1000, endpoint: "/scrape" }, "0.003"],
    ["tts ignores tokens", { requests: 1, tokensGenerated: 1000, endpoint: "/tts", model: "kokoro-82m" }, "0.0045"],
    ["absent endpoint is other (0.5, no token rate)", { requests: 1, tokensGenerated: 1000 }, "0.0075"],
    ["unlisted endpoint is other", { requests: 1, endpoint: "/images" }, "0.0075"],
    // latency
    ["fast (< 2 s) +10 %", { requests: 1, endpoint: "/chat/completions", latencyMs: 1999 }, "0.0165"],
    ["2 s exactly: no change", { requests: 1, endpoint: "/chat/completions", latencyMs: 2000 }, "0.015"],
    ["10 s exactly: no change", { requests: 1, endpoint: "/chat/completions", latencyMs: 10_000 }, "0.015"],
    ["slow (> 10 s) −10 %", { requests: 1, endpoint: "/chat/completions", latencyMs: 10_001 }, "0.0135"],
    // uptime: 0.036 per hour, untouched by latency
    ["one hour of uptime", { uptimeSeconds: 3600 }, "0.036"],
    ["one second of uptime", { uptimeSeconds: 1 }, "0.00001"],
    ["uptime is not scaled by latency", { uptimeSeconds: 3600, latencyMs: 1 }, "0.036"],
    ["nothing served", {}, "0"],
  ])("%s → %s", (_label, w, expected) => {
    expect(computeEarnings(seedRewards, work(w)).toFixed()).toBe(expected);
  });

  it("every default rate is positive", () => {
    const card = seedRewards.rateCard;
    const rates = [
      ...Object.values(card.tiers).flatMap((t) => [t.perRequest, t.perToken]),
      ...Object.values(card.serviceMultiplier),
      ...Object.values(card.models).map((m) => m.complexity),
      card.unknownModel.complexity,
      card.latency.fastMultiplier,
      card.latency.slowMultiplier,
      seedRewards.uptimePointsPerHour,
    ];
    for (const rate of rates) expect(dec(rate).greaterThan(0)).toBe(true);
    for (const m of Object.values(card.models)) {
      expect(dec(m.complexity).greaterThanOrEqualTo("0.3") && dec(m.complexity).lessThanOrEqualTo("3")).toBe(true);
    }
  });

  it("rounds a card's inexact rates down to EARNINGS_SCALE decimals", () => {
    const earned = computeEarnings({ ...seedRewards, uptimePointsPerHour: dec("0.01") }, work({ uptimeSeconds: 1 }));
    expect(earned.toFixed()).toBe("0.000002777777777");
    expect(earned.decimalPlaces()).toBe(EARNINGS_SCALE);
  });

  it("property: default-card earnings are exact (at most 8 decimals), non-negative and grow with the work", () => {
    const count = fc.integer({ min: 0, max: MAX_EVENT_COUNT });
    fc.assert(
      fc.property(
        count,
        count,
        count,
        fc.option(fc.constantFrom(...Object.keys(seedRewards.rateCard.models), "some-new-model"), { nil: undefined }),
        fc.option(fc.constantFrom("/chat/completions", "/embeddings", "/scrape", "/tts", "/other"), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined }),
        (tokensGenerated, requests, uptimeSeconds, model, endpoint, latencyMs) => {
          const w = { tokensGenerated, requests, uptimeSeconds, model, endpoint, latencyMs };
          const earned = computeEarnings(seedRewards, w);
          expect(earned.decimalPlaces()).toBeLessThanOrEqual(8);
          expect(earned.greaterThanOrEqualTo(0)).toBe(true);
          expect(computeEarnings(seedRewards, { ...w, requests: requests + 1 }).greaterThan(earned)).toBe(true);
          expect(computeEarnings(seedRewards, { ...w, uptimeSeconds: uptimeSeconds + 1 }).greaterThan(earned)).toBe(
            true,
          );
        },
      ),
    );
  });
});
