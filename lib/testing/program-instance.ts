// Test fixture, run with tsx by lib/programs/cache.test.ts as a second app instance on the same database: starts
// the programs' listener as the server does, then records one usage event per line read ({"requestId",
// "userId"}) and answers each with one JSON line: the points it was priced at and the reads of the programs so far.
import { createInterface } from "node:readline";
import { createPrisma } from "@/lib/db/client";
import { startProgramCache } from "@/lib/programs/cache";
import { recordUsageEvents } from "@/lib/rewards/events";

async function main(): Promise<void> {
  const db = createPrisma(process.env.DATABASE_URL!);
  const cache = startProgramCache()!;
  while (!cache.listening) await new Promise((resolve) => setTimeout(resolve, 10));
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const { requestId, userId } = JSON.parse(line) as { requestId: string; userId: string };
    const [result] = await recordUsageEvents(db, [{ requestId, userId, endpoint: "/scrape" }]);
    process.stdout.write(`${JSON.stringify({ requestId, points: result!.points.toFixed(), reads: cache.reads })}\n`);
  }
  await cache.stop();
  await db.$disconnect();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
