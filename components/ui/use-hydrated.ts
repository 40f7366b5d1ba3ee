"use client";

import { useSyncExternalStore } from "react";

const noop = () => () => {};

/**
 * False during the server render and hydration, true afterwards: for what only the browser knows (its time zone,
 * the current second), so the first client render matches the server's HTML and then updates.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}
