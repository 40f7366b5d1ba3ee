// `npm run ledger:compact [-- --older-than-days N]`: folds ledger rows older than the retention window
// (LEDGER_RETENTION_DAYS, default 90) into daily rollups; totals and history do not change.
import { parseArgs } from "node:util";
import { compactLedger, DEFAULT_RETENTION_DAYS } from "@/lib/rewards/compact";
import { runWithDatabase } from "./run-with-database";

const { values } = parseArgs({ options: { "older-than-days": { type: "string" } } });
const olderThanDays = Number(values["older-than-days"] ?? process.env.LEDGER_RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS);

runWithDatabase(
  "ledger:compact",
  async (db) => {
    const { folded, rollups, cutoff } = await compactLedger(db, { olderThanDays });
    console.log(
      `ledger:compact: folded ${folded} row(s) created before ${cutoff.toISOString()} into ${rollups} rollup row(s)`,
    );
  },
  1,
);
