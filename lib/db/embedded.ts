// Zero-setup PostgreSQL: PGlite (PostgreSQL compiled to WASM, persisted in a folder) served over the wire
// protocol on localhost, so the app's pg / @prisma/adapter-pg code talks to it exactly as to a real server.
// It is one PostgreSQL session shared by every connection: the session gate (session-gate.ts) lends it to one
// connection at a time, so exchanges and transactions never interleave.
import "server-only";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";
import { SessionGate } from "./session-gate";

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Interface to listen on; 127.0.0.1 unless told otherwise. */
  host?: string;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const LOCK_FILE = ".embedded-postgres.lock";

/** Data folders locked by this process, to tell our own live lock from one a previous run with our pid left. */
const lockedHere = new Set<string>();

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Two PGlite instances on one folder corrupt it, and nothing in PGlite prevents it (it writes no
 * postmaster.pid): e.g. `npm run db:migrate` while `npm start` runs. A pid file refuses the second one; a
 * file left by a process that died (SIGKILL) is taken over. Best effort: it guards against mistakes, not races.
 */
function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      lockedHere.add(dataDir);
      return () => {
        lockedHere.delete(dataDir);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number(readFileSync(file, "utf8").trim());
    const ownerIsUs = owner === process.pid;
    if ((ownerIsUs && lockedHere.has(dataDir)) || (!ownerIsUs && owner > 0 && isProcessAlive(owner))) {
      throw new Error(
        `The embedded database in ${dataDir} is already open in process ${owner}${ownerIsUs ? " (this one)" : ""}; ` +
          `PGlite cannot share its data folder. Stop that process, set DATABASE_URL to use a PostgreSQL server, ` +
          `or delete ${file} if no such process uses it.`,
      );
    }
    rmSync(file, { force: true });
  }
}

/** The address clients use: a wildcard listen address is not connectable, and IPv6 needs brackets in a URL. */
function connectHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Serves `db` on host:port with pglite-socket's connection handlers, but with the session gate as their queue
 * in place of pglite-socket's own, which lets connections' messages interleave.
 */
async function serve(db: PGlite, host: string, port: number): Promise<{ port: number; stop(): Promise<void> }> {
  // The handlers only call enqueue, clearQueueForHandler, clearTransactionIfNeeded and getQueueLength.
  const queryQueue = new SessionGate(db) as unknown as PGLiteSocketHandlerOptions["queryQueue"];
  const handlers = new Set<PGLiteSocketHandler>();
  const server: Server = createServer((socket) => {
    const handler = new PGLiteSocketHandler({ queryQueue, closeOnDetach: true });
    handlers.add(handler);
    handler.addEventListener("close", () => handlers.delete(handler));
    handler.addEventListener("error", () => handlers.delete(handler));
    handler.attach(socket).catch(() => {
      handlers.delete(handler);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as { port: number }).port,
    async stop() {
      await Promise.all([...handlers].map((handler) => handler.detach(true)));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const host = options.host ?? "127.0.0.1";
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);

  let db: PGlite | undefined;
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  try {
    db = await PGlite.create(dataDir);
    server = await serve(db, host, options.port ?? 0).catch((error: unknown) => {
      throw new Error(
        `Cannot serve the embedded PostgreSQL on ${host}:${options.port ?? 0}: ${(error as Error).message}`,
        { cause: error },
      );
    });
  } catch (error) {
    await db?.close();
    unlock();
    throw error;
  }

  const port = server.port;
  const url = `postgresql://postgres@${connectHost(host)}:${port}/postgres?sslmode=disable`;

  const running = { db, server };
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    stop() {
      stopping ??= (async () => {
        await running.server.stop();
        await running.db.close();
        unlock();
      })();
      return stopping;
    },
  };
}
