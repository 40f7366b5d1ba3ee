import "server-only";
import { DomainError } from "@/lib/errors";
import { type Db } from "./client";

// A query that waits forever is as bad as a refused connection for a health check, and it happens: on the
// embedded database a query queues behind any open transaction.
const PING_TIMEOUT_MS = 5_000;

/** 503: a load balancer takes the instance out of rotation; the cause stays in the server's log, not the answer. */
export class DatabaseUnavailable extends DomainError {
  constructor(reason: string, cause: unknown) {
    super("database_unavailable", "Database unavailable", `Database did not answer ${reason}`);
    this.cause = cause;
  }
}

export async function pingDatabase(prisma: Db): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DatabaseUnavailable(`SELECT 1 within ${PING_TIMEOUT_MS} ms`, undefined)),
      PING_TIMEOUT_MS,
    );
  });
  const query = prisma.$queryRaw`SELECT 1`.then(
    () => undefined,
    (error: unknown) => {
      console.error("Health check: the database did not answer:", error);
      throw new DatabaseUnavailable("SELECT 1", error);
    },
  );
  try {
    await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
