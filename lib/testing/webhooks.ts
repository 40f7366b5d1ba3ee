/**
 * A real HTTP receiver for webhook tests, in the test process: it verifies every request with the Standard
 * Webhooks reference library (as an operator's receiver would), keeps what it got, and answers as the test says.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The parsed body, or null when the signature did not verify. */
  payload: { id: string; type: string; createdAt: string; data: Record<string, unknown> } | null;
  at: number;
}

/** What to answer: a status, or `"hang"` (never answer; the request is held until the receiver closes). */
export type Answer = number | "hang";

export interface Receiver {
  url: string;
  received: Received[];
  /** The number of requests being answered now, per webhook-id (to catch two at once). */
  maxConcurrentPerId(): number;
  /** Sets the secret to verify with (known once the endpoint is created). */
  useSecret(secret: string): void;
  close(): Promise<void>;
}

export async function startReceiver(
  answer: (request: Received, index: number) => Answer | Promise<Answer> = () => 200,
): Promise<Receiver> {
  let webhook: Webhook | null = null;
  const received: Received[] = [];
  const open = new Map<string, number>();
  let maxConcurrent = 0;
  const held = new Set<ServerResponse>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const headers = {
          "webhook-id": String(req.headers["webhook-id"] ?? ""),
          "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
          "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
        };
        let payload: Received["payload"] = null;
        try {
          payload = (webhook?.verify(body, headers) as Received["payload"]) ?? null;
        } catch {
          payload = null;
        }
        const entry: Received = {
          id: headers["webhook-id"],
          timestamp: headers["webhook-timestamp"],
          signature: headers["webhook-signature"],
          body,
          payload,
          at: Date.now(),
        };
        const index = received.push(entry) - 1;
        const now = (open.get(entry.id) ?? 0) + 1;
        open.set(entry.id, now);
        maxConcurrent = Math.max(maxConcurrent, now);
        const status = await answer(entry, index);
        if (status === "hang") {
          held.add(res);
          return;
        }
        open.set(entry.id, (open.get(entry.id) ?? 1) - 1);
        res.writeHead(status).end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    maxConcurrentPerId: () => maxConcurrent,
    useSecret(secret) {
      webhook = new Webhook(secret);
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
