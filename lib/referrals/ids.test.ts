import { describe, expect, it } from "vitest";
import { newAccountId } from "./ids";

describe("account ids (referral codes)", () => {
  it("are usr_/prov_ plus 20 base62 characters", () => {
    expect(newAccountId("USER")).toMatch(/^usr_[0-9A-Za-z]{20}$/);
    expect(newAccountId("PROVIDER")).toMatch(/^prov_[0-9A-Za-z]{20}$/);
  });

  it("are unguessable: no repeats in 10,000 and every character of the alphabet in use", () => {
    const ids = Array.from({ length: 10_000 }, () => newAccountId("USER"));
    expect(new Set(ids).size).toBe(ids.length);
    const seen = new Set(ids.join("").replaceAll("usr_", ""));
    expect(seen.size).toBe(62);
  });
});
