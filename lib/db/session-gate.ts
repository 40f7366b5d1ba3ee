/**
 * PGlite is one PostgreSQL session, and pglite-socket lets every connection talk to it. Its own queue hands the
 * session to whichever connection sent the next protocol message (except inside a transaction), so two
 * connections' extended-protocol exchanges interleave: one's Bind meets the other's unnamed statement, giving
 * "unnamed prepared statement does not exist", `portal "" does not exist` and, under load, failed requests.
 *
 * The gate gives the session to one connection at a time: from its first message until the server's answer
 * ends with ReadyForQuery "idle" (a Sync or simple Query completed outside a transaction), or it disconnects.
 * The others wait in arrival order. Transactions therefore never interleave either.
 */
import "server-only";
import type { PGlite } from "@electric-sql/pglite";

const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I': not in a transaction block
const TERMINATE = 0x58; // 'X'
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

interface Waiter {
  connection: number;
  admit: () => void;
  refuse: (error: Error) => void;
}

/** The queue pglite-socket's connection handlers call (its `queryQueue`), one session owner at a time. */
export class SessionGate {
  private owner: number | null = null;
  private waiting: Waiter[] = [];

  constructor(private readonly db: PGlite) {}

  /** Runs one protocol message of `connection`, streaming the answer to `onData`; resolves with its size. */
  async enqueue(connection: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    await this.acquire(connection);
    let size = 0;
    // ReadyForQuery is 6 bytes and always the answer's last message: keep the answer's tail to read it.
    let tail: Uint8Array = new Uint8Array(0);
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(message, {
          onRawData: (data) => {
            size += data.length;
            tail = concatTail(tail, data, 6);
            onData(data);
          },
        }),
      );
    } catch (error) {
      if (!this.db.isInTransaction()) this.release(connection);
      throw error;
    }
    const idle = tail.length === 6 && tail[0] === READY_FOR_QUERY && tail[5] === IDLE;
    if (idle || message[0] === TERMINATE) this.release(connection);
    return size;
  }

  getQueueLength(): number {
    return this.waiting.length;
  }

  /** The connection went away: its queued messages are dropped. */
  clearQueueForHandler(connection: number): void {
    const dropped = this.waiting.filter((w) => w.connection === connection);
    this.waiting = this.waiting.filter((w) => w.connection !== connection);
    for (const waiter of dropped) waiter.refuse(new Error("Connection closed"));
  }

  /** The connection went away while it held the session: end its exchange and roll back its transaction. */
  async clearTransactionIfNeeded(connection: number): Promise<void> {
    if (this.owner !== connection) return;
    await this.db.runExclusive(async () => {
      await this.db.execProtocolRaw(SYNC);
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    });
    this.release(connection);
  }

  private acquire(connection: number): Promise<void> {
    if (this.owner === null || this.owner === connection) {
      this.owner = connection;
      return Promise.resolve();
    }
    return new Promise((admit, refuse) => this.waiting.push({ connection, admit, refuse }));
  }

  private release(connection: number): void {
    if (this.owner !== connection) return;
    const next = this.waiting[0];
    this.owner = next?.connection ?? null;
    if (!next) return;
    // Every message that connection has queued is admitted, in order; its later ones find it the owner.
    const admitted = this.waiting.filter((w) => w.connection === next.connection);
    this.waiting = this.waiting.filter((w) => w.connection !== next.connection);
    for (const waiter of admitted) waiter.admit();
  }
}

function concatTail(previous: Uint8Array, data: Uint8Array, keep: number): Uint8Array {
  if (data.length >= keep) return data.slice(data.length - keep);
  const joined = new Uint8Array(previous.length + data.length);
  joined.set(previous);
  joined.set(data, previous.length);
  return joined.slice(Math.max(0, joined.length - keep));
}
