import { getPrisma, type Db } from "./client";

// A query that waits forever is as bad as a refused connection for a health check, and it happens: on the
// embedded database a query queues behind any open transaction.
const PING_TIMEOUT_MS = 5_000;

export async function pingDatabase(prisma: Db = getPrisma()): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Database did not answer SELECT 1 within ${PING_TIMEOUT_MS} ms`)),
      PING_TIMEOUT_MS,
    );
  });
  const query = prisma.$queryRaw`SELECT 1`.then(
    () => undefined,
    (error: unknown) => {
      throw new Error(`Database did not answer: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    },
  );
  try {
    await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
