// Zero-setup PostgreSQL: PGlite (PostgreSQL compiled to WASM, persisted in a folder) served over the wire
// protocol on localhost, so the app's pg / @prisma/adapter-pg code talks to it exactly as to a real server.
// It is one PostgreSQL session shared by every connection: transactions run one at a time.
import "server-only";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

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

// Room for a pg pool (10 by default) plus migration and script connections; PGlite queues their queries anyway.
const MAX_CONNECTIONS = 32;

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

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const host = options.host ?? "127.0.0.1";
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);

  let db: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    db = await PGlite.create(dataDir);
    server = new PGLiteSocketServer({ db, host, port: options.port ?? 0, maxConnections: MAX_CONNECTIONS });
    await server.start().catch((error: unknown) => {
      throw new Error(
        `Cannot serve the embedded PostgreSQL on ${host}:${options.port ?? 0}: ${(error as Error).message}`,
        { cause: error },
      );
    });
  } catch (error) {
    await server?.stop();
    await db?.close();
    unlock();
    throw error;
  }

  // Asked for port 0, the server reports the port the OS picked only through this "host:port" string.
  const port = Number(server.getServerConn().split(":").pop());
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
