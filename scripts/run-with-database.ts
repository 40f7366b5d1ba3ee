/**
 * The frame of every database CLI: connects to DATABASE_URL (or starts the embedded database and applies its
 * pending migrations, as `npm start` does), runs the task, and always disconnects and stops what it started. The task's number is the exit code; a thrown error is printed as
 * `<name> failed: <message>` and exits with `errorCode`.
 */
import { createPrisma, type Db } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { resolveDatabase } from "@/lib/db/resolve";

export function runWithDatabase(name: string, task: (db: Db) => Promise<number | void>, errorCode = 2): void {
  const run = async (): Promise<number> => {
    const database = await resolveDatabase();
    if (database.embedded) await applyMigrations(database.url);
    const db = createPrisma(database.url, { preparedStatements: !database.embedded });
    try {
      return (await task(db)) ?? 0;
    } finally {
      await db.$disconnect();
      await database.stop();
    }
  };
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = errorCode;
    },
  );
}
