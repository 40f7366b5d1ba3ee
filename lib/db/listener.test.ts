/**
 * The instance's one listening connection, against a real PostgreSQL: several channels on one connection, a
 * connection the server ends is replaced and hears again, and the last listener leaving closes it.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/lib/testing/fees";
import { createEmptyTestDatabase, usingRealPostgres, type EmptyTestDatabase } from "@/lib/testing/db";
import { DatabaseListener, type Listening } from "./listener";

/** A listener that writes down what it is told. */
function recorder() {
  const heard: string[] = [];
  const told: string[] = [];
  const listening: Listening = {
    notify: (payload) => heard.push(payload),
    connected: () => told.push("connected"),
    lost: () => told.push("lost"),
  };
  return { heard, told, listening };
}

describe.skipIf(!usingRealPostgres)("the listening connection", () => {
  let db: EmptyTestDatabase;
  let admin: pg.Client;
  let listener: DatabaseListener;
  const a = recorder();
  const b = recorder();

  beforeAll(async () => {
    db = await createEmptyTestDatabase();
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    listener = new DatabaseListener({ databaseUrl: db.url, backoffMs: 50 });
  });

  afterAll(async () => {
    await listener?.unlisten("channel_a", a.listening);
    await listener?.unlisten("channel_b", b.listening);
    await admin?.end();
    await db?.drop();
  });

  const notify = (channel: string, payload: string) => admin.query("SELECT pg_notify($1, $2)", [channel, payload]);
  const listeningBackends = async () =>
    (
      await admin.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'",
      )
    ).rows.map((row) => row.pid);

  it("hears each channel on one connection and hands each notification to its channel's listener", async () => {
    await listener.listen("channel_a", a.listening);
    // A second channel joins the connection that is already open.
    await listener.listen("channel_b", b.listening);
    expect(listener.hears(a.listening) && listener.hears(b.listening)).toBe(true);
    expect(await listeningBackends()).toHaveLength(1);

    await notify("channel_a", "one");
    await notify("channel_c", "nobody's");
    await notify("channel_b", "two");
    await waitFor(async () => a.heard.length > 0 && b.heard.length > 0);
    expect(a.heard).toEqual(["one"]);
    expect(b.heard).toEqual(["two"]);
    expect([a.told, b.told]).toEqual([["connected"], ["connected"]]);
  });

  it("reconnects after the server ends its connection, tells its listeners both times, and hears again", async () => {
    const [pid] = await listeningBackends();
    await admin.query("SELECT pg_terminate_backend($1)", [pid]);
    await waitFor(async () => listener.hears(a.listening) && listener.hears(b.listening) && a.told.length === 3);
    expect([a.told, b.told]).toEqual([
      ["connected", "lost", "connected"],
      ["connected", "lost", "connected"],
    ]);
    await waitFor(async () => {
      const backends = await listeningBackends();
      return backends.length === 1 && backends[0] !== pid;
    });

    await notify("channel_a", "after");
    await notify("channel_b", "after");
    await waitFor(async () => a.heard.length > 1 && b.heard.length > 1);
    expect(a.heard).toEqual(["one", "after"]);
    expect(b.heard).toEqual(["two", "after"]);
  });

  it("stops handing a channel to a listener that left, and closes the connection when the last one leaves", async () => {
    await listener.unlisten("channel_a", a.listening);
    expect(listener.hears(a.listening)).toBe(false);
    await notify("channel_a", "unheard");
    await notify("channel_b", "last");
    // One connection delivers in the order sent: once b has its last, a would have had its own.
    await waitFor(async () => b.heard.at(-1) === "last");
    expect(a.heard).toEqual(["one", "after"]);
    expect(await listeningBackends()).toHaveLength(1);

    await listener.unlisten("channel_b", b.listening);
    await waitFor(async () => (await listeningBackends()).length === 0);
  });

  it("refuses when it cannot connect", async () => {
    const unreachable = new DatabaseListener({
      databaseUrl: "postgresql://postgres@127.0.0.1:1/none",
      backoffMs: 60_000,
    });
    const c = recorder();
    await expect(unreachable.listen("channel_a", c.listening)).rejects.toThrow();
    expect(unreachable.hears(c.listening)).toBe(false);
    await unreachable.unlisten("channel_a", c.listening);
    expect(c.told).toEqual([]);
  });
});
