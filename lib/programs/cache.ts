/**
 * The versions in force, kept in each instance's memory so that no event pays a database read for its rules.
 * Every instance listens on `program_changed` (sent by the program_version insert trigger at the commit of a new
 * version, whoever wrote it; lib/db/listener.ts): a notification drops the copy of that program, and the next event
 * reads the new version. A notification arrives within milliseconds of the commit, so a change is in
 * force on every instance well within a second.
 *
 * A copy is trusted only while the connection listens: until it is up, while it is lost and reconnecting, every
 * read goes to the database (correct, only slower), and reconnecting starts from an empty cache, since
 * notifications sent meanwhile were missed. A read that started before an invalidation never stores what it read.
 */
import "server-only";
import { databaseListener, type DatabaseListener, type Listening } from "@/lib/db/listener";
import type { ProgramName } from "./schemas";

export const CHANNEL = "program_changed";

export interface CachedProgram {
  version: number;
}

export class ProgramCache<T extends CachedProgram> {
  private readonly entries = new Map<ProgramName, T>();
  /** Moves on every invalidation, so a read can tell whether what it read may be stale. */
  private generation = 0;
  private readonly channel: Listening = {
    notify: (payload) => {
      const [name, version] = payload.split(" ");
      if (name === "rewards" || name === "perpetual") this.invalidate(name, Number(version));
    },
    // Whatever was read before may have changed unheard, on connecting as on losing the connection.
    connected: () => this.forget(),
    lost: () => this.forget(),
  };
  private stopped = false;
  /** Reads that went to the database because no trusted copy was at hand (for tests and diagnosis). */
  reads = 0;

  constructor(private readonly listener: DatabaseListener) {}

  get listening(): boolean {
    return this.listener.hears(this.channel);
  }

  /** The cached version, when the cache can be trusted. */
  get(name: ProgramName): T | undefined {
    return this.listening ? this.entries.get(name) : undefined;
  }

  /** Called before reading the database; the token it returns goes to `store`, which keeps the result only if nothing was invalidated meanwhile. */
  beginRead(): number {
    this.reads++;
    return this.generation;
  }

  /** Keeps what a read found, unless an invalidation happened since `beginRead` or a newer version is known. */
  store(name: ProgramName, program: T, mark: number): void {
    if (!this.listening || mark !== this.generation) return;
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
    if (this.stopped) return Promise.reject(new Error("The program cache is stopped"));
    return this.listener.listen(CHANNEL, this.channel);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.listener.unlisten(CHANNEL, this.channel);
    this.entries.clear();
  }

  private forget(): void {
    this.entries.clear();
    this.generation++;
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
    current = globalForPrograms.__referralEnginePrograms = { url, cache: new ProgramCache(databaseListener(url)) };
  }
  current.cache.start().catch(() => undefined);
  return current.cache as ProgramCache<T>;
}

/** The started cache of this process's database, if any. */
export function runningCache<T extends CachedProgram>(): ProgramCache<T> | undefined {
  const current = globalForPrograms.__referralEnginePrograms;
  return current && current.url === process.env.DATABASE_URL ? (current.cache as ProgramCache<T>) : undefined;
}
