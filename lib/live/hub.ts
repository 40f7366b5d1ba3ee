/**
 * Live updates inside one instance (docs/live-updates.md). PostgreSQL tells every instance what changed: the
 * triggers of the live-update migration send `NOTIFY account_changed, '<what> <accountId> …'` in the
 * transaction of each change, whichever instance made it. The instance's listening connection (lib/db/listener.ts)
 * hands each notification to the hub, which fans it out, in process, to the streams its browsers hold open for
 * those accounts.
 *
 * When the listening connection is lost, nothing it would have heard can be trusted: every open stream is ended
 * (browsers fall back to polling and reconnect), and new streams are refused until it is back.
 *
 * With a read replica (DATABASE_READ_URL), the stats a `rewards` event makes browsers refetch are read from the
 * replica: such events wait until the replica has replayed the change (its replay position reaches the primary's
 * WAL position read after the notification arrived, which is past the change's commit), so the refetch never reads
 * the state from before the change. `fees` and `claims` are read from the primary and go out at once.
 */
import "server-only";
import pg from "pg";
import { databaseListener, type DatabaseListener, type Listening } from "@/lib/db/listener";

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
  listener: DatabaseListener;
  /** The read replica the `rewards` reads go to; events of those wait until it has replayed the change. */
  replicaUrl?: string;
  /** How long an event waits for a replica that does not catch up before going out anyway. */
  replicaWaitMs?: number;
}

export class LiveHub {
  private readonly byAccount = new Map<string, Set<Subscriber>>();
  private readonly channel: Listening = {
    notify: (payload) => this.dispatch(payload),
    lost: () => {
      for (const set of [...this.byAccount.values()]) for (const subscriber of [...set]) subscriber.lost();
    },
  };
  private stopped = false;
  /** Changes waiting for the replica, for subscribed accounts only: at most one set of names per account. */
  private waiting = new Map<string, Set<What>>();
  private settling = false;
  private readonly replica: pg.Pool | null;

  constructor(private readonly options: HubOptions) {
    this.replica = options.replicaUrl ? new pg.Pool({ connectionString: options.replicaUrl, max: 1 }) : null;
    this.replica?.on("error", () => undefined);
  }

  /** Resolves once the hub listens (at once if it does); rejects if this attempt to connect fails. */
  start(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error("The live-update hub is stopped"));
    return this.options.listener.listen(CHANNEL, this.channel);
  }

  get listening(): boolean {
    return this.options.listener.hears(this.channel);
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
    if (!this.replica) return;
    // Read after the notifications arrived, so past the commit of every change they announce.
    const { rows } = await this.options.listener.query<{ lsn: string }>("SELECT pg_current_wal_lsn()::text AS lsn");
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
    await this.options.listener.unlisten(CHANNEL, this.channel);
    await this.replica?.end().catch(() => undefined);
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
  const hub = new LiveHub({ listener: databaseListener(url), replicaUrl: process.env.DATABASE_READ_URL || undefined });
  globalForHub.__referralEngineLiveHub = { url, hub };
  return hub;
}
