// Test fixture, run with tsx by lib/fees/reconcile.test.ts as a separate app instance: claims for every account
// id given, all at once, with the environment it inherits, and prints the results as one JSON line.
import { stringifyExact } from "@/lib/api/json";
import { createPrisma } from "@/lib/db/client";
import { claimReferralFees } from "@/lib/fees/claims";

async function main(): Promise<void> {
  const db = createPrisma(process.env.DATABASE_URL!);
  try {
    const results = await Promise.all(
      process.argv
        .slice(2)
        .map((accountId) =>
          claimReferralFees(db, accountId).catch((error: unknown) => ({ accountId, error: String(error) })),
        ),
    );
    process.stdout.write(`${stringifyExact(results)}\n`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
