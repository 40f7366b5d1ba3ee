// `npm run claims:reconcile [-- --grace-seconds N]`: settles PENDING claims once (DATABASE_URL or the embedded
// database; the payout variables as for the app) and prints what it did as JSON. Exits 1 when a claim could not
// be settled this time (it stays PENDING), 2 on error.
import { parseArgs } from "node:util";
import { reconcilePendingClaims } from "@/lib/fees/reconcile";
import { runWithDatabase } from "./run-with-database";

const { values } = parseArgs({ options: { "grace-seconds": { type: "string" } } });
const grace = values["grace-seconds"];
if (grace !== undefined && !/^\d+$/.test(grace)) {
  console.error("claims:reconcile failed: --grace-seconds must be a whole number");
  process.exit(2);
}

runWithDatabase("claims:reconcile", async (db) => {
  const report = await reconcilePendingClaims(db, { graceSeconds: grace === undefined ? undefined : Number(grace) });
  console.log(JSON.stringify(report));
  return report.actions.some((a) => a.action === "waiting") ? 1 : 0;
});
