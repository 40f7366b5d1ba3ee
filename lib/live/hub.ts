/**
 * Live updates inside one instance (docs/live-updates.md). PostgreSQL tells every instance what changed: the
 * triggers of the live-update migration send `NOTIFY account_changed, '<what> <accountId> …'` in the
 * transaction of each change, whichever instance made it. Each instance holds ONE listening connection (a
 * dedicated pg client; a pooled one cannot LISTEN) and fans each notification out, in process, to the streams its
 * browsers hold open for those accounts.
 *
 * When the listening connection is lost, nothing it would have heard can be trusted: every open stream is ended
 * (browsers fall back to polling and reconnect), new streams are refused until it is back, and it reconnects
 * with a growing delay.
 *
 * With a read replica (DATABASE_READ_URL), the stats a `rewards` event makes browsers refetch are read from the
 * replica: such events wait until the replica has replayed the change (its replay position reaches the primary's
 * WAL position read after the notification arrived, which is past the change's commit), so the refetch never reads
 * the state from before the change. `fees` and `claims` are read from the primary and go out at once.
 */
import "server-only";
import pg from "pg";
import { errorField, logger } from "@/lib/observability/log";

export const CHANNEL = "account_changed";
export const WHATS = ["rewards", "fees", "claims"] as const;
export type What = (typeof WHATS)[number];

export interface Subscriber {
  /** Something changed for the subscriber's account. Must not block: it only records and schedules. */
  changed(what: What): void;
  /** The hub lost the database: the subscriber ends its stream. */
  lost(): void;
}

export interface HubOptions {
  databaseUrl: string;
  /** The read replica the `rewards` reads go to; events of those wait until it has replayed the change. */
  replicaUrl?: string;
  /** How long an event waits for a replica that does not catch up before going out anyway. */
  replicaWaitMs?: number;
  /** First reconnect delay; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export class LiveHub {
  private readonly byAccount = new Map<string, Set<Subscriber>>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;
  private listeningSince: number | null = null;
  /** Changes waiting for the replica, for subscribed accounts only: at most one set of names per account. */
  private waiting = new Map<string, Set<What>>();
  private settling = false;
  private readonly replica: pg.Pool | null;

  constructor(private readonly options: HubOptions) {
    this.replica = options.replicaUrl ? new pg.Pool({ connectionString: options.replicaUrl, max: 1 }) : null;
    this.replica?.on("error", () => undefined);
  }

  /** Resolves once the listening connection is up (or at once if it is); rejects if this attempt fails. */
  start(): Promise<void> {
    if (this.listening) return Promise.resolve();
    return (this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    }));
  }

  get listening(): boolean {
    return this.listeningSince !== null;
  }

  get streamCount(): number {
    let n = 0;
    for (const set of this.byAccount.values()) n += set.size;
    return n;
  }

  subscribersOf(accountId: string): number {
    return this.byAccount.get(accountId)?.size ?? 0;
  }

  subscribe(accountId: string, subscriber: Subscriber): () => void {
    let set = this.byAccount.get(accountId);
    if (!set) this.byAccount.set(accountId, (set = new Set()));
    set.add(subscriber);
    return () => {
      const current = this.byAccount.get(accountId);
      if (!current) return;
      current.delete(subscriber);
      if (current.size === 0) this.byAccount.delete(accountId);
    };
  }

  /** Hands one notification's payload to the subscribers of the accounts it names. */
  dispatch(payload: string): void {
    const parts = payload.split(" ");
    const what = parts[0] as What;
    if (!WHATS.includes(what)) return;
    const wait = this.replica !== null && what === "rewards";
    for (let i = 1; i < parts.length; i++) {
      const accountId = parts[i]!;
      if (!this.byAccount.has(accountId)) continue;
      if (!wait) {
        this.deliver(accountId, what);
        continue;
      }
      let pending = this.waiting.get(accountId);
      if (!pending) this.waiting.set(accountId, (pending = new Set()));
      pending.add(what);
    }
    if (this.waiting.size > 0) void this.settle();
  }

  private deliver(accountId: string, what: What): void {
    const set = this.byAccount.get(accountId);
    if (set) for (const subscriber of set) subscriber.changed(what);
  }

  /** Sends the waiting events once the replica has replayed past every change they announce. */
  private async settle(): Promise<void> {
    if (this.settling) return;
    this.settling = true;
    try {
      while (this.waiting.size > 0) {
        const batch = this.waiting;
        this.waiting = new Map();
        await this.replicaCaughtUp().catch(() => undefined);
        for (const [accountId, whats] of batch) for (const what of whats) this.deliver(accountId, what);
      }
    } finally {
      this.settling = false;
    }
  }

  private async replicaCaughtUp(): Promise<void> {
    const client = this.client;
    if (!client || !this.replica) return;
    // Read after the notifications arrived, so past the commit of every change they announce.
    const { rows } = await client.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
    const deadline = Date.now() + (this.options.replicaWaitMs ?? 5_000);
    for (;;) {
      const { rows: replayed } = await this.replica.query<{ ok: boolean | null }>(
        "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok",
        [rows[0]!.lsn],
      );
      if (replayed[0]?.ok !== false || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    this.listeningSince = null;
    await client?.end().catch(() => undefined);
    await this.replica?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) throw new Error("The live-update hub is stopped");
    const client = new pg.Client({ connectionString: this.options.databaseUrl, keepAlive: true });
    client.on("notification", (message) => {
      if (message.channel === CHANNEL && message.payload) this.dispatch(message.payload);
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
    this.client = client;
    this.failures = 0;
    this.listeningSince = Date.now();
  }

  private drop(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    this.listeningSince = null;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    logger().warn({ component: "live", error: errorField(error) }, "live-update listener lost; reconnecting");
    for (const set of [...this.byAccount.values()]) for (const subscriber of [...set]) subscriber.lost();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    const base = this.options.backoffMs ?? 250;
    const delay = Math.min(base * 2 ** this.failures++, this.options.maxBackoffMs ?? 10_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.start().catch(() => undefined);
    }, delay);
    this.retryTimer.unref();
  }
}

const globalForHub = globalThis as typeof globalThis & { __referralEngineLiveHub?: { url: string; hub: LiveHub } };

/** The process's hub for DATABASE_URL, started on first use; null when LIVE_UPDATES_DISABLED=true. */
export function liveHub(): LiveHub | null {
  if (process.env.LIVE_UPDATES_DISABLED === "true") return null;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const cached = globalForHub.__referralEngineLiveHub;
  if (cached?.url === url) return cached.hub;
  if (cached) void cached.hub.stop();
  const hub = new LiveHub({ databaseUrl: url, replicaUrl: process.env.DATABASE_READ_URL || undefined });
  globalForHub.__referralEngineLiveHub = { url, hub };
  return hub;
}
