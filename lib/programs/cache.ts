/**
 * The versions in force, kept in each instance's memory so that no event pays a database read for its rules.
 * Every instance holds one listening connection (`LISTEN program_changed`, sent by the program_version insert
 * trigger at the commit of a new version, whoever wrote it): a notification drops the copy of that program, and the
 * next event reads the new version. A notification arrives within milliseconds of the commit, so a change is in
 * force on every instance well within a second.
 *
 * A copy is trusted only while the connection listens: until it is up, while it is lost and reconnecting, every
 * read goes to the database (correct, only slower), and reconnecting starts from an empty cache, since
 * notifications sent meanwhile were missed. A read that started before an invalidation never stores what it read.
 */
import "server-only";
import pg from "pg";
import { errorField, logger } from "@/lib/observability/log";
import type { ProgramName } from "./schemas";

export const CHANNEL = "program_changed";

export interface CachedProgram {
  version: number;
}

export class ProgramCache<T extends CachedProgram> {
  private readonly entries = new Map<ProgramName, T>();
  /** Moves on every invalidation, so a read can tell whether what it read may be stale. */
  private generation = 0;
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;
  /** Reads that went to the database because no trusted copy was at hand (for tests and diagnosis). */
  reads = 0;

  constructor(private readonly databaseUrl: string) {}

  get listening(): boolean {
    return this.client !== null;
  }

  /** The cached version, when the cache can be trusted. */
  get(name: ProgramName): T | undefined {
    return this.client ? this.entries.get(name) : undefined;
  }

  /** Called before reading the database; the token it returns goes to `store`, which keeps the result only if nothing was invalidated meanwhile. */
  beginRead(): number {
    this.reads++;
    return this.generation;
  }

  /** Keeps what a read found, unless an invalidation happened since `beginRead` or a newer version is known. */
  store(name: ProgramName, program: T, mark: number): void {
    if (!this.client || mark !== this.generation) return;
    const current = this.entries.get(name);
    if (!current || current.version <= program.version) this.entries.set(name, program);
  }

  /** A version this instance has just committed: in force here at once, without waiting for the notification. */
  offer(name: ProgramName, program: T): void {
    this.store(name, program, this.generation);
  }

  invalidate(name: ProgramName, version?: number): void {
    this.generation++;
    const current = this.entries.get(name);
    if (current && (version === undefined || current.version < version)) this.entries.delete(name);
  }

  /** Starts listening (once); resolves when it listens, rejects if this attempt fails (it retries on its own). */
  start(): Promise<void> {
    if (this.client) return Promise.resolve();
    return (this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    this.entries.clear();
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) throw new Error("The program cache is stopped");
    const client = new pg.Client({ connectionString: this.databaseUrl, keepAlive: true });
    client.on("notification", (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      const [name, version] = message.payload.split(" ");
      if (name === "rewards" || name === "perpetual") this.invalidate(name, Number(version));
    });
    client.on("error", (error) => this.drop(client, error));
    client.on("end", () => this.drop(client, new Error("connection ended")));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    // Whatever was read before now may have changed unheard.
    this.entries.clear();
    this.generation++;
    this.client = client;
    this.failures = 0;
  }

  private drop(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    this.entries.clear();
    this.generation++;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    logger().warn({ component: "programs", error: errorField(error) }, "program listener lost; reconnecting");
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    const delay = Math.min(250 * 2 ** this.failures++, 10_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.start().catch(() => undefined);
    }, delay);
    this.retryTimer.unref();
  }
}

const globalForPrograms = globalThis as typeof globalThis & {
  __referralEnginePrograms?: { url: string; cache: ProgramCache<CachedProgram> };
};

/**
 * Starts this process's listener, so that reads are served from memory (the server calls it at start-up; a
 * script or test that does not reads the database each time). Returns the cache, or null without DATABASE_URL.
 * On globalThis: the server's instrumentation and its routes are separate module graphs in one process.
 */
export function startProgramCache<T extends CachedProgram>(): ProgramCache<T> | null {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  let current = globalForPrograms.__referralEnginePrograms;
  if (current?.url !== url) {
    if (current) void current.cache.stop();
    current = globalForPrograms.__referralEnginePrograms = { url, cache: new ProgramCache(url) };
  }
  current.cache.start().catch(() => undefined);
  return current.cache as ProgramCache<T>;
}

/** The started cache of this process's database, if any. */
export function runningCache<T extends CachedProgram>(): ProgramCache<T> | undefined {
  const current = globalForPrograms.__referralEnginePrograms;
  return current && current.url === process.env.DATABASE_URL ? (current.cache as ProgramCache<T>) : undefined;
}
