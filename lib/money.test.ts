import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  dec,
  fitsStoredScale,
  fromUsdcBaseUnits,
  isCurrency,
  percentOf,
  roundDownToUsdc,
  sum,
  toPlainString,
  toUsdcBaseUnits,
} from "./money";

describe("money", () => {
  it("parses JSON numbers as written, not as binary floats", () => {
    expect(toPlainString(dec(0.1).plus(dec(0.2)))).toBe("0.3");
    expect(toPlainString(dec("0.0077").times(150))).toBe("1.155");
    expect(toPlainString(dec(1e21))).toBe("1000000000000000000000");
  });

  it("refuses NaN and infinities", () => {
    expect(() => dec(Number.NaN)).toThrow(RangeError);
    expect(() => dec(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => dec("Infinity")).toThrow(RangeError);
    expect(() => dec("abc")).toThrow();
  });

  it("computes the seeds' percentages exactly", () => {
    expect(toPlainString(percentOf(50000, "0.3"))).toBe("150");
    expect(toPlainString(percentOf(200000, "0.3"))).toBe("600");
    expect(toPlainString(percentOf(101, "0.3"))).toBe("0.303");
    expect(toPlainString(percentOf(101, "1.5"))).toBe("1.515");
    expect(toPlainString(percentOf(2, "2.5"))).toBe("0.05");
  });

  it("sums thousands of small amounts exactly", () => {
    const amounts = Array.from({ length: 10_000 }, () => "0.303");
    expect(toPlainString(sum(amounts))).toBe("3030");
    const floatSum = amounts.reduce((a, b) => a + Number(b), 0);
    expect(floatSum).not.toBe(3030);
  });

  it("rounds down to USDC's 6 decimals only at payout", () => {
    expect(toPlainString(roundDownToUsdc("1.5299999999"))).toBe("1.529999");
    expect(toPlainString(roundDownToUsdc("34.62"))).toBe("34.62");
    expect(toUsdcBaseUnits("1.53")).toBe(1_530_000n);
    expect(toUsdcBaseUnits("0.0000009")).toBe(0n);
    expect(toPlainString(fromUsdcBaseUnits(1_530_001n))).toBe("1.530001");
  });

  it("knows what fits Decimal(38, 18)", () => {
    expect(fitsStoredScale("99999999999999999999.999999999999999999")).toBe(true);
    expect(fitsStoredScale("100000000000000000000")).toBe(false);
    expect(fitsStoredScale("0.0000000000000000001")).toBe(false);
  });

  it("knows the seed's currencies", () => {
    for (const c of ["KES", "NGN", "UGX", "GHS", "ETB", "CDF"]) expect(isCurrency(c)).toBe(true);
    expect(isCurrency("USD")).toBe(false);
    expect(isCurrency("kes")).toBe(false);
  });

  it("never pays more than the exact amount, and loses less than one base unit", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 18 }), (units, scale) => {
        const exact = dec(units.toString()).dividedBy(dec(10).pow(scale));
        const paid = fromUsdcBaseUnits(toUsdcBaseUnits(exact));
        expect(paid.lessThanOrEqualTo(exact)).toBe(true);
        expect(exact.minus(paid).lessThan("0.000001")).toBe(true);
      }),
    );
  });
});
