/**
 * The one listening connection of an instance. PostgreSQL's NOTIFY reaches only a session that LISTENs, and a
 * pooled connection cannot hold one, so each instance keeps one dedicated client and hands each notification to
 * whoever listens on its channel (the live-update hub, the programs' cache).
 *
 * While the connection is lost nothing it would have heard arrives, so each listener is told (`lost`) and decides
 * what it can no longer trust; the connection comes back after 250 ms, doubling up to 10 s, and each listener is
 * told again (`connected`) once its channel is listened to anew. The connection is open only while someone
 * listens: the last `unlisten` closes it.
 */
import "server-only";
import pg from "pg";
import { errorField, logger } from "@/lib/observability/log";

export interface Listening {
  /** One notification on the channel. Must not block. */
  notify(payload: string): void;
  /** The channel is listened to on a new connection: what was sent before may not have been heard. */
  connected?(): void;
  /** The connection is lost (it reconnects on its own): nothing is heard until `connected` again. */
  lost?(): void;
}

export interface ListenerOptions {
  databaseUrl: string;
  /** First reconnect delay; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export class DatabaseListener {
  private readonly channels = new Map<string, Set<Listening>>();
  private client: pg.Client | null = null;
  /** The channels `client` LISTENs on, and the listeners it has told `connected`. */
  private listened = new Set<string>();
  private told = new Set<Listening>();
  private connecting: Promise<pg.Client> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(private readonly options: ListenerOptions) {}

  /** Whether `listening` hears its channel now. */
  hears(listening: Listening): boolean {
    return this.told.has(listening);
  }

  /**
   * Hands `listening` every notification on `channel` from now on (calling it again changes nothing). Resolves
   * once the channel is listened to; rejects if connecting fails this time (it keeps retrying on its own).
   */
  async listen(channel: string, listening: Listening): Promise<void> {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(listening);
    if (this.told.has(listening)) return;
    const client = this.client ?? (await this.connect());
    if (!this.listened.has(channel)) {
      try {
        await client.query(`LISTEN ${channel}`);
      } catch (error) {
        this.drop(client, error);
        throw error;
      }
    }
    if (this.client !== client) throw new Error("The database listener lost its connection");
    if (!this.channels.get(channel)?.has(listening)) return;
    this.listened.add(channel);
    this.tell(listening);
  }

  /** Stops handing `channel` to `listening`; the last one leaving closes the connection. */
  async unlisten(channel: string, listening: Listening): Promise<void> {
    const set = this.channels.get(channel);
    set?.delete(listening);
    if (set?.size === 0) this.channels.delete(channel);
    this.told.delete(listening);
    if (this.channels.size > 0) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    if (!client || this.channels.size > 0) return;
    this.forget();
    await client.end().catch(() => undefined);
  }

  /** Runs a statement on the listening connection (a read that must follow the notifications it has heard). */
  async query<R extends pg.QueryResultRow>(text: string): Promise<pg.QueryResult<R>> {
    if (!this.client) throw new Error("The database listener is not connected");
    return this.client.query<R>(text);
  }

  private connect(): Promise<pg.Client> {
    return (this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    }));
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl, keepAlive: true });
    client.on("notification", (message) => {
      for (const listening of this.channels.get(message.channel) ?? []) listening.notify(message.payload ?? "");
    });
    client.on("error", (error) => this.drop(client, error));
    client.on("end", () => this.drop(client, new Error("connection ended")));
    const channels = [...this.channels.keys()];
    try {
      await client.connect();
      if (channels.length > 0) await client.query(channels.map((channel) => `LISTEN ${channel}`).join("; "));
    } catch (error) {
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
      throw error;
    }
    if (this.channels.size === 0) {
      await client.end().catch(() => undefined);
      throw new Error("Nobody listens any more");
    }
    this.client = client;
    this.listened = new Set(channels);
    this.failures = 0;
    for (const channel of channels) for (const listening of this.channels.get(channel) ?? []) this.tell(listening);
    return client;
  }

  private tell(listening: Listening): void {
    if (this.told.has(listening)) return;
    this.told.add(listening);
    listening.connected?.();
  }

  private forget(): Set<Listening> {
    const told = this.told;
    this.client = null;
    this.listened = new Set();
    this.told = new Set();
    return told;
  }

  private drop(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    const told = this.forget();
    void client.end().catch(() => undefined);
    logger().warn(
      { component: "db", channels: [...this.channels.keys()], error: errorField(error) },
      "database listener lost; reconnecting",
    );
    for (const listening of told) listening.lost?.();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.channels.size === 0 || this.retryTimer) return;
    const delay = Math.min((this.options.backoffMs ?? 250) * 2 ** this.failures++, this.options.maxBackoffMs ?? 10_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.client) void this.connect().catch(() => undefined);
    }, delay);
    this.retryTimer.unref();
  }
}

const globalForListener = globalThis as typeof globalThis & {
  __referralEngineListeners?: Map<string, DatabaseListener>;
};

/**
 * The process's listener for `databaseUrl`. On globalThis: the server's instrumentation and its routes are
 * separate module graphs in one process, and they share the one connection.
 */
export function databaseListener(databaseUrl: string): DatabaseListener {
  const listeners = (globalForListener.__referralEngineListeners ??= new Map());
  let listener = listeners.get(databaseUrl);
  if (!listener) listeners.set(databaseUrl, (listener = new DatabaseListener({ databaseUrl })));
  return listener;
}
