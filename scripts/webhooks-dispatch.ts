// `npm run webhooks:dispatch`: delivers webhooks until stopped (SIGINT or SIGTERM), exactly as every app instance
// does, for a worker apart from the app servers (set WEBHOOKS_DISABLED=true on those). Needs DATABASE_URL. On
// stopping it finishes the attempts in flight and prints how many attempts it recorded, by outcome, as JSON.
import { createPrisma } from "@/lib/db/client";
import { metrics } from "@/lib/observability/metrics";
import { startWebhookDispatcher } from "@/lib/webhooks/dispatcher";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("webhooks:dispatch needs DATABASE_URL (the database the app servers use)");
  process.exit(2);
}
const db = createPrisma(url);
const dispatcher = startWebhookDispatcher(db);
console.log(JSON.stringify({ dispatching: true }));

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await dispatcher.stop();
  await db.$disconnect();
  const { values } = await metrics().webhookDeliveries.get();
  console.log(JSON.stringify({ attempts: Object.fromEntries(values.map((v) => [v.labels.outcome, v.value])) }));
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
