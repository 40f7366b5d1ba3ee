// `npm run fx:refresh`: fetches FX_SOURCE_URL once and stores its rates (DATABASE_URL or the embedded database),
// printing the rates now in force. Exits 2 when the source is not configured or fails; nothing changes then.
import { stringifyExact } from "@/lib/api/json";
import { refreshFxRates } from "@/lib/fx/refresh";
import { runWithDatabase } from "./run-with-database";

runWithDatabase("fx:refresh", async (db) => {
  const rates = await refreshFxRates(db);
  if (!rates) {
    console.error("fx:refresh: FX_SOURCE_URL is not set; nothing to refresh");
    return 2;
  }
  console.log(stringifyExact(rates));
});
