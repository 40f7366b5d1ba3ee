// `npm run ledger:check`: the conservation check over DATABASE_URL (or the embedded database). Prints every
// problem and exits 1 when there is any; exits 0 and says so when the books balance.
import { checkClaimConservation } from "@/lib/fees/check";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { runWithDatabase } from "./run-with-database";

runWithDatabase("ledger:check", async (db) => {
  const problems = [
    ...(await checkRewardsConservation(db)).map((p) => `rewards: ${p}`),
    ...(await checkClaimConservation(db)).map((p) => `fees: ${p}`),
  ];
  if (problems.length === 0) {
    console.log("ledger:check: no differences — shares, totals, history, network counts and claims all conserved");
    return 0;
  }
  console.error(`ledger:check: ${problems.length} problem(s)`);
  for (const problem of problems) console.error(`- ${problem}`);
  return 1;
});
