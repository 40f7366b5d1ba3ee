/**
 * Reads a server-sent-events body event by event, the way a browser's EventSource parses it (comments are kept
 * apart, so heartbeats can be checked too).
 */
export interface SseEvent {
  event: string;
  data: string;
}

export interface SseReader {
  /** The next event (comments skipped); rejects after `timeoutMs` or when the stream ends first. */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** Forgets the events received and not read yet; returns how many. */
  drain(): number;
  /** Resolves when the stream has ended (the server closed it). */
  ended(timeoutMs?: number): Promise<void>;
  /** Comment lines seen so far (`: heartbeat`). */
  comments: string[];
  close(): Promise<void>;
}

export function sseReader(body: ReadableStream<Uint8Array>): SseReader {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let buffer = "";
  let done = false;
  let wake = null as (() => void) | null;
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = "message";
          const data: string[] = [];
          let isEvent = false;
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) comments.push(line.slice(1).trim());
            else if (line.startsWith("event:")) {
              event = line.slice(6).trim();
              isEvent = true;
            } else if (line.startsWith("data:")) {
              data.push(line.slice(5).trim());
              isEvent = true;
            }
          }
          if (isEvent && data.length > 0) events.push({ event, data: data.join("\n") });
        }
        wake?.();
      }
    } catch {
      // Cancelled.
    } finally {
      done = true;
      wake?.();
    }
  })();

  const waitFor = async <T>(take: () => T | undefined, timeoutMs: number, what: string): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = take();
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          wake = null;
          resolve();
        };
      });
    }
  };

  return {
    comments,
    drain: () => events.splice(0).length,
    next: (timeoutMs = 10_000) =>
      waitFor(
        () => {
          if (events.length > 0) return events.shift();
          if (done) throw new Error("The stream ended");
          return undefined;
        },
        timeoutMs,
        "event",
      ),
    ended: (timeoutMs = 10_000) =>
      waitFor(() => (done ? true : undefined), timeoutMs, "end of the stream").then(() => {}),
    async close() {
      await reader.cancel().catch(() => undefined);
      await pump;
    },
  };
}
