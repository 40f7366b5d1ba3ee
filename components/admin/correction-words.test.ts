import { describe, expect, it } from "vitest";
import { adjustmentAmountError, adjustmentChange, reversalChange, signedAmount } from "./correction-words";

describe("reversalChange", () => {
  const fee = { referrerId: "usr_amara", amount: "0.45", currency: "KES" };

  it("voids an unclaimed fee and claws back a claimed one, with the exact amount", () => {
    expect(reversalChange("ord_1", { ...fee, claimed: false })).toBe(
      "Void the unclaimed fee of 0.45 KES owed to usr_amara.",
    );
    expect(reversalChange("ord_1", { ...fee, amount: "0.123456789", claimed: true })).toBe(
      "Claw back 0.123456789 KES from usr_amara: their next claim is reduced by it.",
    );
  });

  it("says that no money moves when the transaction earned no fee", () => {
    expect(reversalChange("ord_2", null)).toBe(
      "No money moves: ord_2 earned no referrer fee. It is only marked reversed.",
    );
    expect(reversalChange("ord_3", { ...fee, amount: "0", claimed: false })).toMatch(/^No money moves/);
  });
});

describe("adjustmentChange", () => {
  it("states the signed amount, the account and the reason", () => {
    expect(adjustmentChange({ accountId: "usr_amara", unit: "POINTS", amount: "10", reason: " Goodwill " })).toEqual({
      change: "+10 POINTS to usr_amara, reason “Goodwill”",
      effect: expect.stringContaining("never shared with its referrers"),
    });
    expect(adjustmentChange({ accountId: "usr_amara", unit: "KES", amount: "-1250.5", reason: "Duplicate" })).toEqual({
      change: "-1,250.50 KES to usr_amara, reason “Duplicate”",
      effect: expect.stringContaining("its next claim is reduced by it"),
    });
  });

  it("refuses an amount the API would refuse, with the API's words", () => {
    expect(adjustmentChange({ accountId: "a", unit: "POINTS", amount: "0", reason: "r" })).toEqual({
      error: "The amount must not be 0.",
    });
    expect(adjustmentChange({ accountId: "a", unit: "KES", amount: "ten", reason: "r" })).toHaveProperty("error");
    expect(adjustmentAmountError(" -0.5 ")).toBeNull();
    expect(adjustmentAmountError("1.1234567890123456")).toBe("The amount may have at most 15 decimal places.");
  });
});

describe("signedAmount", () => {
  it("keeps every digit and the sign", () => {
    expect(signedAmount("0.000000000000001", "KES")).toBe("+0.000000000000001 KES");
    expect(signedAmount("-3", "POINTS")).toBe("-3 POINTS");
  });
});
