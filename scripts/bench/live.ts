/**
 * Live updates at scale: `streams` browsers each holding GET /api/live open on one instance (one account each),
 * what they cost the server in memory, and how fast a change reaches them:
 *   - RSS of the server's process tree before and after opening the streams (settled), per stream;
 *   - one at a time: a usage event for one streamed account, from the write's answer to its event;
 *   - fan-out: one batch of events, one per streamed account, from the batch's answer to the last event.
 */
import { mintUserToken } from "@/lib/auth/tokens";
import { sseReader, type SseReader } from "@/lib/testing/sse";
import { call, summarize, type Latencies } from "./load";
import { treeRssKb } from "./memory";

export interface LiveResult {
  streams: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssPerStreamKb: number;
  openSeconds: number;
  /** One event for one account, measured `singles` times. */
  single: Latencies;
  /** One batch touching every streamed account: when the first, median and last stream heard of it. */
  fanOut: { first: number; p50: number; last: number; missing: number };
  /** `referral_live_streams` of the instance a few seconds after every client went away: 0 when all were freed. */
  openAfterClose: number;
}

async function openStreams(baseUrl: string, secretKey: string): Promise<number> {
  const res = await fetch(`${baseUrl}/api/metrics`, { headers: { "x-api-key": secretKey } });
  const line = (await res.text()).split("\n").find((l) => l.startsWith("referral_live_streams "));
  return Number(line?.split(" ")[1] ?? NaN);
}

export async function benchLive(options: {
  baseUrl: string;
  serverPid: number;
  accounts: string[];
  secretKey: string;
  publishableKey: string;
  singles?: number;
}): Promise<LiveResult> {
  const { baseUrl, accounts } = options;
  const operator = { "x-api-key": options.secretKey };
  const settle = () => new Promise((r) => setTimeout(r, 3_000));
  await settle();
  const rssBefore = treeRssKb(options.serverPid);

  const opened = performance.now();
  const readers: SseReader[] = [];
  const aborts: AbortController[] = [];
  try {
    for (let at = 0; at < accounts.length; at += 50) {
      await Promise.all(
        accounts.slice(at, at + 50).map(async (accountId, j) => {
          const { token } = await mintUserToken(accountId);
          const abort = new AbortController();
          const res = await fetch(`${baseUrl}/api/live`, {
            headers: { authorization: `Bearer ${token}`, "x-api-key": options.publishableKey },
            signal: abort.signal,
          });
          if (res.status !== 200) throw new Error(`GET /api/live → ${res.status}: ${await res.text()}`);
          aborts.push(abort);
          readers[at + j] = sseReader(res.body!);
        }),
      );
    }
    const openSeconds = (performance.now() - opened) / 1000;
    await settle();
    const rssAfter = treeRssKb(options.serverPid);

    const post = (events: { requestId: string; userId: string; endpoint: string }[]) =>
      call(baseUrl, "/api/events/usage", { headers: operator, body: { events } });
    const tag = Date.now().toString(36);

    const singles: number[] = [];
    for (let i = 0; i < (options.singles ?? 100); i++) {
      const k = (i * 7919) % accounts.length;
      // A streamed account may also be the referrer of another one: forget what earlier events told it.
      readers[k]!.drain();
      await post([{ requestId: `live-${tag}-s${i}`, userId: accounts[k]!, endpoint: "/scrape" }]);
      const answered = performance.now();
      await readers[k]!.next(10_000);
      singles.push(performance.now() - answered);
    }

    await settle();
    for (const reader of readers) reader.drain();
    await post(accounts.map((userId, i) => ({ requestId: `live-${tag}-f${i}`, userId, endpoint: "/scrape" })));
    const answered = performance.now();
    const arrivals = (
      await Promise.all(
        readers.map((reader) =>
          reader.next(30_000).then(
            () => performance.now() - answered,
            () => Number.POSITIVE_INFINITY,
          ),
        ),
      )
    ).sort((a, b) => a - b);
    const heard = arrivals.filter(Number.isFinite);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    for (const abort of aborts.splice(0)) abort.abort();
    await Promise.all(readers.map((reader) => reader.close()));
    let openAfterClose = await openStreams(baseUrl, options.secretKey);
    for (let i = 0; i < 50 && openAfterClose > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      openAfterClose = await openStreams(baseUrl, options.secretKey);
    }
    return {
      streams: readers.length,
      rssBeforeMb: Math.round(rssBefore / 1024),
      rssAfterMb: Math.round(rssAfter / 1024),
      rssPerStreamKb: Math.round(((rssAfter - rssBefore) / readers.length) * 10) / 10,
      openSeconds: Math.round(openSeconds * 10) / 10,
      single: summarize(singles),
      fanOut: {
        first: round(heard[0] ?? NaN),
        p50: round(heard[Math.floor(heard.length / 2)] ?? NaN),
        last: round(heard[heard.length - 1] ?? NaN),
        missing: arrivals.length - heard.length,
      },
      openAfterClose,
    };
  } finally {
    for (const abort of aborts) abort.abort();
    await Promise.all(readers.map((reader) => reader.close()));
  }
}
