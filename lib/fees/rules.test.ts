import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dec, fitsStoredScale, sum, toPlainString } from "@/lib/money";
import { seedPerpetual } from "@/lib/testing/programs";
import { claimAmountUsd, cooldownMessage, nextClaimDate, parseTransactionAmount, splitFee, usdValue } from "./rules";

const plain = (split: ReturnType<typeof splitFee>) =>
  [split.fee, split.referrerFee, split.platformFee].map(toPlainString);

describe("Perpetual Earnings rules (version 1 of the program)", () => {
  it.each([
    ["50000", true, ["750", "150", "600"]],
    ["200000", true, ["3000", "600", "2400"]],
    ["101", true, ["1.515", "0.303", "1.212"]],
    ["101", false, ["1.515", "0", "1.515"]],
    ["0.000000000000001", true, ["0.000000000000000015", "0.000000000000000003", "0.000000000000000012"]],
  ] as const)("splits %s (referrer: %s) into fee, referrer, platform %j", (amount, referred, expected) => {
    expect(plain(splitFee(seedPerpetual, amount, referred))).toEqual(expected);
  });

  it("keeps every split exact, whole and storable for any accepted amount", () => {
    // Whole part below 10^20, up to 15 decimals: the accepted range, edges included.
    const amount = fc
      .tuple(
        fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }),
        fc.integer({ min: 0, max: 15 }),
        fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }),
      )
      .map(([whole, scale, fraction]) =>
        dec(whole.toString()).plus(dec((fraction % 10n ** BigInt(scale)).toString()).dividedBy(dec(10).pow(scale))),
      )
      .filter((a) => a.greaterThan(0));
    fc.assert(
      fc.property(amount, fc.boolean(), (a, referred) => {
        const { fee, referrerFee, platformFee } = splitFee(seedPerpetual, a, referred);
        expect(referrerFee.plus(platformFee).equals(fee)).toBe(true);
        expect(fee.equals(a.times("0.015"))).toBe(true);
        expect(referrerFee.equals(referred ? a.times("0.003") : 0)).toBe(true);
        for (const part of [fee, referrerFee, platformFee]) expect(fitsStoredScale(part)).toBe(true);
        expect(parseTransactionAmount(a.toFixed())).toEqual({ amount: a });
      }),
    );
  });

  it("sums thousands of small fees exactly: 5,000 × 0.303 UGX = 1,515 UGX", () => {
    const fees = Array.from({ length: 5000 }, () => splitFee(seedPerpetual, "101", true).referrerFee);
    expect(toPlainString(sum(fees))).toBe("1515");
    expect(toPlainString(usdValue(sum(fees), "0.00027"))).toBe("0.40905");
  });

  it.each([
    [50000, "50000"],
    ["1500.25", "1500.25"],
    [0.1, "0.1"],
    [123456789012345, "123456789012345"],
    ["99999999999999999999.999999999999999", "99999999999999999999.999999999999999"],
  ])("reads the amount %j exactly", (input, expected) => {
    const parsed = parseTransactionAmount(input);
    expect("amount" in parsed && parsed.amount.toFixed()).toBe(expected);
  });

  it.each([
    [0, "greater than 0"],
    [-1, "greater than 0"],
    ["-1", "decimal string"],
    [Number.NaN, "finite"],
    [Number.POSITIVE_INFINITY, "finite"],
    ["1e3", "decimal string"],
    [" 1", "decimal string"],
    ["", "decimal string"],
    [1e20, "less than 10^20"],
    ["100000000000000000000", "less than 10^20"],
    ["0.0000000000000001", "at most 15 decimal places"],
    [0.1234567890123456, "significant digits"],
    [9007199254740993, "decimal string"],
    [null, "number or a decimal string"],
    [{}, "number or a decimal string"],
  ])("refuses the amount %j", (input, reason) => {
    const parsed = parseTransactionAmount(input);
    expect("error" in parsed && parsed.error).toContain(reason);
  });

  it("rounds a claim down to whole USDC base units, once, after summing", () => {
    // Each line alone would round down to 0; their exact sum, 0.0000029, pays 0.000002.
    expect(toPlainString(claimAmountUsd(["0.00000097", "0.00000097", "0.00000096"]))).toBe("0.000002");
    expect(toPlainString(claimAmountUsd([usdValue("150", "0.0077"), usdValue("600", "0.00063")]))).toBe("1.533");
    expect(toPlainString(claimAmountUsd(["0.0000009"]))).toBe("0");
  });

  it("counts the cooldown 7 days from the last completed claim and words it as the seed does", () => {
    const next = nextClaimDate(seedPerpetual, new Date("2026-02-22T14:30:00.000Z"));
    expect(next.toISOString()).toBe("2026-03-01T14:30:00.000Z");
    expect(cooldownMessage(next, seedPerpetual.cooldownDays)).toBe(
      "Claims allowed once per week. Next claim available 2026-03-01T14:30:00.000Z",
    );
  });

  it("applies another version's rates: fee, referrer part, cooldown", () => {
    const rules = { ...seedPerpetual, feePercent: dec(2), referrerPercent: dec("0.5"), cooldownDays: 1 };
    expect(plain(splitFee(rules, "1000", true))).toEqual(["20", "5", "15"]);
    const next = nextClaimDate(rules, new Date("2026-02-22T14:30:00.000Z"));
    expect(cooldownMessage(next, 1)).toBe("Claims allowed once per day. Next claim available 2026-02-23T14:30:00.000Z");
    expect(cooldownMessage(next, 14)).toContain("Claims allowed once every 14 days.");
  });

  it("rounds a fee down to 18 decimals when a percentage has more decimals than the defaults", () => {
    const rules = { ...seedPerpetual, feePercent: dec("1.255"), referrerPercent: dec("0.333") };
    expect(plain(splitFee(rules, "0.000000000000001", true))).toEqual([
      "0.000000000000000012",
      "0.000000000000000003",
      "0.000000000000000009",
    ]);
  });
});
