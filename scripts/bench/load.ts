/** Closed-loop load: N clients, each sending its next request as soon as the previous one answered. */
import http from "node:http";

export interface Latencies {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** [percentile, ms] at DISTRIBUTION_POINTS, for the chart (scripts/bench/chart.ts). */
  distribution: [number, number][];
}

/** Where the latency distribution is sampled: dense in the tail, where runs differ. */
export const DISTRIBUTION_POINTS = [0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9, 100];

/** Nearest-rank percentiles, in milliseconds. */
export function summarize(samplesMs: readonly number[]): Latencies {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    count: sorted.length,
    p50: round(at(50)),
    p99: round(at(99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    mean: round(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
    distribution: sorted.length === 0 ? [] : DISTRIBUTION_POINTS.map((p) => [p, round(p === 0 ? sorted[0]! : at(p))]),
  };
}

export interface LoadResult {
  seconds: number;
  requests: number;
  failed: number;
  /** The first few failures, for the report. */
  failures: string[];
  /** Units (events) carried by the successful requests. */
  units: number;
  latency: Latencies;
}

/**
 * Runs `send` from `clients` concurrent loops until `seconds` have passed (a request in flight at the deadline
 * is awaited and counted). `send` returns how many units its request carried, or throws.
 */
export async function closedLoop(options: {
  clients: number;
  seconds: number;
  send: () => Promise<number>;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let failed = 0;
  let units = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          // Not `units += await …`: that reads `units` before the await and loses the other clients' additions.
          const carried = await options.send();
          units += carried;
          latencies.push(performance.now() - t0);
        } catch (error) {
          failed++;
          if (failures.length < 5) failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { seconds, requests: latencies.length + failed, failed, failures, units, latency: summarize(latencies) };
}

/**
 * Times `count` calls of `send` from `clients` concurrent loops (each takes the next call as soon as its previous
 * one answered), as that many dashboards open at once would.
 */
export async function concurrent(options: {
  clients: number;
  count: number;
  send: (i: number) => Promise<void>;
}): Promise<Latencies & { failed: number; failures: string[]; requestsPerSecond: number }> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      for (let i = next++; i < options.count; i = next++) {
        const t0 = performance.now();
        try {
          await options.send(i);
          latencies.push(performance.now() - t0);
        } catch (error) {
          failed++;
          if (failures.length < 5) failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    ...summarize(latencies),
    failed,
    failures,
    requestsPerSecond: Math.round(latencies.length / seconds),
  };
}

/**
 * Keep-alive connections per server. The load generator shares the machine's cores with the server and PostgreSQL:
 * node:http costs it ≈ 0.3 ms of CPU a request where fetch costs 0.8–0.9 ms (8 stats clients, measured side by
 * side), CPU the server would otherwise be measured without.
 */
const agents = new Map<string, http.Agent>();

function agentFor(origin: string): http.Agent {
  let agent = agents.get(origin);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    agents.set(origin, agent);
  }
  return agent;
}

/** A JSON request that must answer `expected`; returns the parsed body. */
export async function call<T>(
  baseUrl: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; expected?: number } = {},
): Promise<T> {
  const url = new URL(path, baseUrl);
  const method = init.method ?? (init.body === undefined ? "GET" : "POST");
  const body =
    init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body);
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = http.request(
      url,
      {
        method,
        agent: agentFor(url.origin),
        timeout: 120_000,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) }),
          ...init.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`${method} ${path}: no answer within 120 s`)));
    request.on("error", reject);
    request.end(body);
  });
  if (status !== (init.expected ?? 200)) {
    throw new Error(`${method} ${path} → ${status}: ${text.slice(0, 300)}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}
