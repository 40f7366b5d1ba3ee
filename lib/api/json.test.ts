import { describe, expect, it } from "vitest";
import { dec } from "@/lib/money";
import { jsonResponse, stringifyExact } from "./json";

describe("stringifyExact", () => {
  it("writes decimals as exact JSON numbers", () => {
    const text = stringifyExact({ totalUsd: dec("1.155"), tiny: dec("0.000000000000000001"), n: [dec("-3"), 2] });
    expect(text).toBe('{"totalUsd":1.155,"tiny":0.000000000000000001,"n":[-3,2]}');
    expect(JSON.parse(text).totalUsd).toBe(1.155);
  });

  it("keeps digits a float would lose", () => {
    expect(stringifyExact({ v: dec("12345678901234567890.123456789012345678") })).toBe(
      '{"v":12345678901234567890.123456789012345678}',
    );
  });

  it("leaves strings that look like decimals alone", () => {
    expect(stringifyExact({ s: "1.5", d: null })).toBe('{"s":"1.5","d":null}');
  });

  it("answers with JSON and no caching", async () => {
    const res = jsonResponse({ ok: dec(1) }, { status: 201 });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(await res.text()).toBe('{"ok":1}');
  });

  it("asks that a small answer be left uncompressed, and leaves a large one to the server's compression", () => {
    expect(jsonResponse({ ok: true }).headers.get("cache-control")).toBe("no-store, no-transform");
    // The size of a referral-stats answer: 30 days of six amounts.
    const stats = {
      history: Array.from({ length: 30 }, (_, i) => ({
        date: `2026-11-${i}`,
        amounts: [1, 2, 3, 4, 5, 6].map((n) => dec(`${n}.123456`)),
      })),
    };
    expect(jsonResponse(stats).headers.get("cache-control")).toBe("no-store, no-transform");
    const large = { items: Array.from({ length: 1000 }, (_, i) => ({ i, amount: dec("1.5") })) };
    expect(jsonResponse(large).headers.get("cache-control")).toBe("no-store");
  });
});
