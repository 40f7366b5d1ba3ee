/**
 * Live updates in the browser: one EventSource on GET /api/live per tab. Each `changed` event refetches the
 * queries that show what changed; while the stream is open the dashboards do not poll, and when it fails they
 * poll again (every LIVE_REFETCH_MS) while it reconnects with a growing delay.
 */
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import { apiUrl, LIVE_REFETCH_MS } from "./api";

export type LiveWhat = "rewards" | "fees" | "claims";

/**
 * The query keys (prefixes) each kind of change makes stale: referralKeys of ./referrals.ts and the seed's
 * referralFeeKeys of ./referral-fees.ts (written out: those modules import this one).
 */
export const LIVE_KEYS: Record<LiveWhat, readonly (readonly string[])[]> = {
  rewards: [["referral-stats"], ["referral-network"]],
  fees: [["referral-fee-balance"], ["referral-fee-entries"]],
  // A claim's state moves the balance (claimable again after a failure, the cooldown after a success) and its
  // entries.
  claims: [["referral-fee-claims"], ["referral-fee-balance"], ["referral-fee-entries"]],
};

const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

let healthy = false;
const listeners = new Set<() => void>();

function setHealthy(value: boolean) {
  if (healthy === value) return;
  healthy = value;
  for (const listener of listeners) listener();
}

/** True while the live stream is open: the dashboards' queries then stop polling. */
export function liveIsHealthy(): boolean {
  return healthy;
}

/** A query's refetchInterval: no polling while the stream is open, LIVE_REFETCH_MS (or `ms`) otherwise. */
export function pollUnlessLive(ms: number = LIVE_REFETCH_MS): () => number | false {
  return () => (healthy ? false : ms);
}

export function useLiveStatus(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => healthy,
    () => false,
  );
}

function invalidate(queryClient: QueryClient, what: readonly LiveWhat[]) {
  const keys = new Set(what.flatMap((w) => LIVE_KEYS[w] ?? []));
  for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey: [...queryKey] });
}

const ALL: LiveWhat[] = ["rewards", "fees", "claims"];

/**
 * Keeps the tab's stream open while mounted. Whenever the stream opens or fails, every live query refetches:
 * on opening to catch up with what happened meanwhile, on failing so that its polling timer is set again
 * (React Query re-reads refetchInterval after each fetch).
 */
export function useLiveUpdates(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;

    const connect = () => {
      source = new EventSource(`${apiUrl}/api/live`);
      source.addEventListener("open", () => {
        failures = 0;
        setHealthy(true);
        invalidate(queryClient, ALL);
      });
      source.addEventListener("changed", (event) => {
        try {
          const { what } = JSON.parse((event as MessageEvent<string>).data) as { what: LiveWhat[] };
          invalidate(queryClient, what);
        } catch {
          invalidate(queryClient, ALL);
        }
      });
      source.addEventListener("error", () => {
        // EventSource retries by itself only after a network error; closing and reopening here covers HTTP
        // errors (503 while the server cannot listen) too, with a delay that grows.
        source?.close();
        source = null;
        const wasHealthy = healthy;
        setHealthy(false);
        if (wasHealthy) invalidate(queryClient, ALL);
        if (stopped) return;
        const delay = Math.min(RECONNECT_MIN_MS * 2 ** failures++, RECONNECT_MAX_MS);
        retry = setTimeout(connect, delay * (0.5 + Math.random() / 2));
      });
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
      setHealthy(false);
    };
  }, [queryClient]);
}
