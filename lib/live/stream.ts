/**
 * One browser's live-update stream (server-sent events) for one account:
 *
 *     : connected                          on open
 *     event: changed
 *     data: {"what":["rewards","fees"]}    within a second of any change to the account, on any instance
 *     : heartbeat                          every 25 s, so proxies and browsers keep the connection
 *
 * Memory per stream is bounded whatever the rate of changes and however slow the reader: changes are coalesced
 * into a set of at most three names, written when the reader has room; nothing else is queued.
 */
import "server-only";
import { DomainError } from "@/lib/errors";
import { metrics } from "@/lib/observability/metrics";
import { WHATS, type LiveHub, type Subscriber, type What } from "./hub";

export const HEARTBEAT_MS = 25_000;
/** Changes arriving within this window go out as one event (one commit often notifies fees and claims). */
export const COALESCE_MS = 20;
/** Open streams per account per instance: a dashboard needs one per tab. */
export const MAX_STREAMS_PER_ACCOUNT = 16;

export class LiveUnavailable extends DomainError {
  constructor() {
    super("live_unavailable", "Live updates unavailable", "Live updates are not available now; poll, and retry later");
  }
}

export class TooManyStreams extends DomainError {
  constructor() {
    super("rate_limited", "Too many requests", `At most ${MAX_STREAMS_PER_ACCOUNT} live streams per account`, {
      headers: { "Retry-After": "30" },
    });
  }
}

const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(": heartbeat\n\n");

/** Every open stream of the process, for the one heartbeat timer. */
const open = new Set<{ heartbeat(): void }>();
let heartbeatTimer: NodeJS.Timeout | null = null;

function heartbeats(start: boolean) {
  if (start && !heartbeatTimer) {
    heartbeatTimer = setInterval(() => {
      for (const stream of open) stream.heartbeat();
    }, HEARTBEAT_MS);
    heartbeatTimer.unref();
  } else if (!start && heartbeatTimer && open.size === 0) {
    clearInterval(heartbeatTimer);
    heartbeatTimer = null;
  }
}

/**
 * The event-stream response for `accountId`, fed by `hub` until the client goes away (`signal`) or the hub
 * loses the database.
 * @throws LiveUnavailable (503) without a hub (live updates disabled) or while it cannot listen; TooManyStreams
 *   (429) over the per-account limit
 */
export async function openLiveStream(hub: LiveHub | null, accountId: string, signal: AbortSignal): Promise<Response> {
  if (!hub) throw new LiveUnavailable();
  try {
    await hub.start();
  } catch {
    throw new LiveUnavailable();
  }
  if (hub.subscribersOf(accountId) >= MAX_STREAMS_PER_ACCOUNT) throw new TooManyStreams();

  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const pending = new Set<What>();
  let flushTimer: NodeJS.Timeout | null = null;
  let closed = false;
  let unsubscribe = () => {};

  const flush = () => {
    flushTimer = null;
    if (closed || pending.size === 0) return;
    // No room: keep the (coalesced) names until the reader pulls.
    if ((controller.desiredSize ?? 1) <= 0) return;
    const what = WHATS.filter((w) => pending.has(w));
    pending.clear();
    controller.enqueue(encoder.encode(`event: changed\ndata: ${JSON.stringify({ what })}\n\n`));
  };
  const stream = {
    heartbeat() {
      if (!closed && (controller.desiredSize ?? 1) > 0) controller.enqueue(HEARTBEAT);
    },
  };
  const close = () => {
    if (closed) return;
    closed = true;
    if (flushTimer) clearTimeout(flushTimer);
    unsubscribe();
    open.delete(stream);
    heartbeats(false);
    metrics().liveStreams.dec();
    try {
      controller.close();
    } catch {
      // Already cancelled by the reader.
    }
  };
  const subscriber: Subscriber = {
    changed(what) {
      pending.add(what);
      flushTimer ??= setTimeout(flush, COALESCE_MS);
    },
    lost: close,
  };

  const body = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        // Tells the browser how long to wait before reconnecting by itself, and sends the headers now.
        c.enqueue(encoder.encode("retry: 2000\n: connected\n\n"));
      },
      pull: () => flush(),
      cancel: close,
    },
    { highWaterMark: 4, size: () => 1 },
  );
  unsubscribe = hub.subscribe(accountId, subscriber);
  open.add(stream);
  heartbeats(true);
  metrics().liveStreams.inc();
  if (signal.aborted) close();
  else signal.addEventListener("abort", close, { once: true });

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      // Proxies that buffer responses (nginx) would hold the events back.
      "x-accel-buffering": "no",
    },
  });
}
