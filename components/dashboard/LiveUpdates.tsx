"use client";

import { useLiveUpdates } from "@/lib/hooks/live";

/** Keeps the dashboard's live-update stream open (lib/hooks/live.ts); renders nothing. */
export function LiveUpdates() {
  useLiveUpdates();
  return null;
}
