import { describe, expect, it } from "vitest";
import {
  formatAge,
  formatDate,
  formatDateTime,
  formatDay,
  formatDuration,
  formatExact,
  formatLocal,
  formatPoints,
  formatUsd,
  shortId,
} from "./format";

describe("formatUsd", () => {
  it.each([
    [34.62, "$34.62"],
    [0, "$0.00"],
    [0.3, "$0.30"],
    [1234567.5, "$1,234,567.50"],
    [0.001534, "$0.001534"],
    [1.23456789, "$1.234567"],
    // Never rounded up: the last shown digit is cut, not rounded.
    [0.9999999, "$0.999999"],
    [19.999, "$19.999"],
  ])("%s → %s", (value, text) => {
    expect(formatUsd(value)).toBe(text);
  });

  it("reads a number from its shortest text, so a binary float does not lose a cent", () => {
    // 34.62 is 34.61999999999999744… as a double; truncating the double itself would show $34.61.
    expect(formatUsd(34.62)).toBe("$34.62");
    expect(formatUsd(0.1 + 0.2)).toBe("$0.30");
  });
});

describe("formatPoints and formatLocal", () => {
  it("shows points with up to 4 decimals, cut", () => {
    expect(formatPoints(2)).toBe("2");
    expect(formatPoints(0.54)).toBe("0.54");
    expect(formatPoints(1234.56789)).toBe("1,234.5678");
    expect(formatPoints(0.00009)).toBe("0");
  });

  it("shows local amounts with 2 to 6 decimals", () => {
    expect(formatLocal(3900)).toBe("3,900.00");
    expect(formatLocal(3.70368)).toBe("3.70368");
    expect(formatLocal(1.23456789)).toBe("1.234567");
  });

  it("shows an exact amount with every digit it has, never cut", () => {
    expect(formatExact("0.45", 2)).toBe("0.45");
    expect(formatExact("150", 2)).toBe("150.00");
    expect(formatExact("-1234.123456789", 2)).toBe("-1,234.123456789");
    expect(formatExact("10", 0)).toBe("10");
  });
});

describe("times", () => {
  it("counts down largest unit first", () => {
    expect(formatDuration(7 * 86400_000)).toBe("7 d 0 h 0 m 0 s");
    expect(formatDuration(61_500)).toBe("1 m 1 s");
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(-5)).toBe("0 s");
  });

  it("says how old a rate is", () => {
    expect(formatAge(5_000)).toBe("5 s ago");
    expect(formatAge(5 * 60_000)).toBe("5 min ago");
    expect(formatAge(3 * 3600_000)).toBe("3 h ago");
    expect(formatAge(2 * 86400_000)).toBe("2 d ago");
  });

  it("names a history day without shifting it by the reader's zone", () => {
    expect(formatDay("2026-03-01")).toBe("Mar 1");
  });

  it("labels server-rendered times as UTC", () => {
    expect(formatDateTime("2026-03-01T14:30:00.000Z", false)).toBe("Mar 1, 2026, 2:30 PM UTC");
    expect(formatDate("2026-03-01T23:30:00.000Z", false)).toBe("Mar 1, 2026 UTC");
  });

  it("shortens long ids only", () => {
    expect(shortId("usr_abc")).toBe("usr_abc");
    expect(shortId("usr_0123456789abcdefghij")).toBe("usr_012345…ghij");
  });
});
