import { describe, expect, it } from "vitest";
import { LIVE_KEYS } from "./live";
import { referralFeeKeys } from "./referral-fees";
import { referralKeys } from "./referrals";

describe("live updates in the browser", () => {
  it("refetch the queries the dashboards hold, by the keys their hooks use", () => {
    expect(LIVE_KEYS.rewards).toEqual([referralKeys.allStats, referralKeys.allNetwork]);
    expect(LIVE_KEYS.fees).toEqual([referralFeeKeys.balance, referralFeeKeys.entries]);
    expect(LIVE_KEYS.claims).toEqual([referralFeeKeys.claims, referralFeeKeys.balance, referralFeeKeys.entries]);
  });
});
