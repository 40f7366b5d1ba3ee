"use client";

import { useEffect, useRef, useState } from "react";
import { formatDuration } from "./format";
import { useHydrated } from "./use-hydrated";

/**
 * Time left until `until`, ticking each second once the page has hydrated (the server cannot know the reader's
 * clock). Visual only: it is marked as a timer, which screen readers do not announce on every tick.
 */
export function Countdown({ until, onDone }: { until: string; onDone?: () => void }) {
  const hydrated = useHydrated();
  const target = new Date(until).getTime();
  const [now, setNow] = useState(() => Date.now());
  const done = useRef(false);

  useEffect(() => {
    done.current = false;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [target]);

  useEffect(() => {
    if (!done.current && now >= target) {
      done.current = true;
      onDone?.();
    }
  }, [now, target, onDone]);

  return (
    <span role="timer" aria-live="off" className="tabular-nums" data-testid="claim-countdown">
      {hydrated ? formatDuration(target - now) : "…"}
    </span>
  );
}
