"use client";

import { useId, useState } from "react";
import { Card } from "@/components/ui/Card";
import { formatCount, formatPoints, shortId } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/LocalTime";
import { Skeleton } from "@/components/ui/Skeleton";
import { buttonSecondary, mutedText } from "@/components/ui/styles";
import { ApiError } from "@/lib/hooks/api";
import { NETWORK_PAGE_SIZE, useReferralNetwork, type NetworkNode } from "@/lib/hooks/referrals";
import { EmptyNote } from "@/components/ui/TableBox";

const LEVEL_NAMES = ["", "Direct", "Secondary", "Tertiary"];

/**
 * The referral network as a tree three levels deep. Each level is loaded a page at a time when it is opened,
 * so a network of any size renders only what is on screen. Disclosure buttons (not an ARIA tree) keep it
 * usable with Tab and Enter alone.
 */
export function NetworkTree({ rootId, networkTotal }: { rootId: string; networkTotal: number }) {
  return (
    <Card
      id="tree-heading"
      title="Your network"
      description="Everyone you earn from, three levels deep, newest first. Open a referral to see who they referred; each shows what it and its branch earned you."
    >
      {networkTotal === 0 ? (
        <EmptyNote testId="tree-empty">
          No referrals yet. Share your code or link: everyone who joins with it appears here.
        </EmptyNote>
      ) : (
        <Level rootId={rootId} parentId={rootId} depth={1} labelledBy="tree-heading" />
      )}
    </Card>
  );
}

function Level({
  rootId,
  parentId,
  depth,
  labelledBy,
}: {
  rootId: string;
  parentId: string;
  depth: number;
  labelledBy: string;
}) {
  const query = useReferralNetwork(rootId, parentId);
  const nodes = query.data?.pages.flatMap((p) => p.children) ?? [];
  const total = query.data?.pages[0]?.total ?? 0;
  const remaining = Math.max(0, total - nodes.length);

  if (query.isPending) {
    return (
      <ul aria-labelledby={labelledBy} aria-busy="true" className="flex flex-col gap-2">
        {[0, 1, 2].map((i) => (
          <li key={i} className="h-[4.5rem] rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
            <Skeleton className="h-4 w-40" />
            <Skeleton className="mt-2 h-4 w-56" />
          </li>
        ))}
      </ul>
    );
  }
  if (query.isError) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-300">
        This part of your network could not be loaded
        {query.error instanceof ApiError ? `: ${query.error.detail ?? query.error.error}` : ""}.{" "}
        <button type="button" className="underline" onClick={() => query.refetch()}>
          Try again
        </button>
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <ul aria-labelledby={labelledBy} className="flex flex-col gap-2" data-testid={`tree-level-${depth}`}>
        {nodes.map((node) => (
          <Node key={node.accountId} rootId={rootId} node={node} />
        ))}
      </ul>
      {query.hasNextPage ? (
        <button
          type="button"
          className={`${buttonSecondary} self-start`}
          onClick={() => query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage
            ? "Loading…"
            : `Show ${formatCount(Math.min(NETWORK_PAGE_SIZE, remaining))} more of ${formatCount(remaining)}`}
        </button>
      ) : null}
    </div>
  );
}

function Node({ rootId, node }: { rootId: string; node: NetworkNode }) {
  const [open, setOpen] = useState(false);
  const childrenId = useId();
  const labelId = useId();
  const expandable = node.referrals > 0 && node.level < 3;

  return (
    <li
      className="rounded-lg border border-zinc-200 dark:border-zinc-800"
      data-testid="tree-node"
      data-account={node.accountId}
    >
      <div className="flex min-h-[4.5rem] flex-col gap-2 p-3 sm:flex-row sm:items-center sm:gap-4">
        <div className="flex min-w-0 flex-1 items-center gap-2">
          {expandable ? (
            <button
              type="button"
              aria-expanded={open}
              aria-controls={childrenId}
              onClick={() => setOpen((o) => !o)}
              className="inline-flex size-9 shrink-0 items-center justify-center rounded-md border border-zinc-300 dark:border-zinc-700"
            >
              <svg
                aria-hidden="true"
                viewBox="0 0 20 20"
                className={`size-4 transition-transform motion-reduce:transition-none ${open ? "rotate-90" : ""}`}
              >
                <path d="M7 4l6 6-6 6" fill="none" stroke="currentColor" strokeWidth="2" />
              </svg>
              <span className="sr-only">
                {open ? "Hide" : "Show"} {formatCount(node.referrals)} referrals of {node.accountId}
              </span>
            </button>
          ) : (
            <span aria-hidden="true" className="inline-block size-9 shrink-0" />
          )}
          <div className="min-w-0">
            <p id={labelId} className="truncate font-mono text-sm" title={node.accountId}>
              <span aria-hidden="true">{shortId(node.accountId)}</span>
              <span className="sr-only">{node.accountId}</span>
            </p>
            <p className={`text-xs ${mutedText}`}>
              {LEVEL_NAMES[node.level]} · level {node.level} · joined <LocalTime iso={node.joinedAt} dateOnly />
            </p>
          </div>
        </div>
        <dl className="grid grid-cols-3 gap-x-2 pl-11 text-sm tabular-nums sm:w-80 sm:shrink-0 sm:gap-x-4 sm:pl-0 sm:text-right">
          <div>
            <dt className={`text-xs ${mutedText}`}>Earned you</dt>
            <dd data-testid="node-earned">{formatPoints(node.earnedYou)}</dd>
          </div>
          <div>
            <dt className={`text-xs ${mutedText}`}>Branch</dt>
            <dd data-testid="node-branch-earned">{formatPoints(node.branchEarnedYou)}</dd>
          </div>
          <div>
            <dt className={`text-xs ${mutedText}`}>People</dt>
            <dd data-testid="node-branch-size">{formatCount(node.branchSize)}</dd>
          </div>
        </dl>
      </div>
      {expandable ? (
        <div
          id={childrenId}
          hidden={!open}
          className="border-t border-zinc-200 p-2 pl-3 sm:p-3 sm:pl-12 dark:border-zinc-800"
        >
          {open ? (
            <Level rootId={rootId} parentId={node.accountId} depth={node.level + 1} labelledBy={labelId} />
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
