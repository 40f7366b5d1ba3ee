/**
 * React Query hooks of the Rewards & Referrals dashboards: referral stats (docs/api.md), applying a code, and
 * the network tree one page of one node at a time. Both refetch when the live stream says rewards changed; while
 * it is down the stats poll every LIVE_REFETCH_MS so new earnings show within 5 s, the tree every
 * NETWORK_REFETCH_MS (./live.ts).
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { Wire } from "@/lib/api/wire";
import type { ApplyReferralResponse } from "@/lib/referrals/schemas";
import type { NetworkNode as ServerNetworkNode, NetworkPage as ServerNetworkPage } from "@/lib/referrals/network-tree";
import type { ReferralStats as ServerReferralStats } from "@/lib/rewards/stats";
import { fetchJson } from "./api";
import { pollUnlessLive } from "./live";

export type AccountKind = ServerReferralStats["kind"];
export type ReferralStats = Wire<ServerReferralStats>;
export type NetworkNode = Wire<ServerNetworkNode>;
export type NetworkPage = Wire<ServerNetworkPage>;

export type AppliedReferral = z.infer<typeof ApplyReferralResponse>;

export const referralKeys = {
  stats: (accountId: string) => ["referral-stats", accountId] as const,
  network: (rootId: string, parentId: string) => ["referral-network", rootId, parentId] as const,
  allNetwork: ["referral-network"] as const,
  allStats: ["referral-stats"] as const,
};

function statsPath(kind: AccountKind, accountId: string): string {
  const id = encodeURIComponent(accountId);
  return kind === "provider" ? `/api/providers/${id}/referral-stats` : `/api/user/${id}/referral-stats`;
}

export function useReferralStats(kind: AccountKind, accountId: string, options: { initialData?: ReferralStats } = {}) {
  return useQuery({
    queryKey: referralKeys.stats(accountId),
    queryFn: () => fetchJson<ReferralStats>(statsPath(kind, accountId), "Failed to fetch referral stats"),
    staleTime: 1000 * 30,
    refetchInterval: pollUnlessLive(),
    initialData: options.initialData,
  });
}

export const NETWORK_PAGE_SIZE = 20;
export const NETWORK_REFETCH_MS = 30_000;

/** The referrals of `parentId` (the root itself or one of its level 1-2 referrals), page by page. */
export function useReferralNetwork(rootId: string, parentId: string) {
  return useInfiniteQuery({
    queryKey: referralKeys.network(rootId, parentId),
    queryFn: async ({ pageParam }): Promise<NetworkPage> => {
      const query = new URLSearchParams({ limit: String(NETWORK_PAGE_SIZE) });
      if (parentId !== rootId) query.set("parent", parentId);
      if (pageParam) query.set("cursor", pageParam);
      return fetchJson<NetworkPage>(`/api/referrals/network?${query}`, "Failed to fetch your network");
    },
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 1000 * 30,
    // The figures on the dashboard's cards refresh every 5 s; the tree is a drill-down whose pages can each read
    // thousands of branch members, so it refreshes less often.
    refetchInterval: pollUnlessLive(NETWORK_REFETCH_MS),
  });
}

/** Applies a referral code to the signed-in account; stats and the network refresh at once. */
export function useApplyReferral() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) =>
      fetchJson<AppliedReferral>("/api/referrals/apply", "Could not apply the code", {
        method: "POST",
        body: { code },
      }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: referralKeys.allStats });
      queryClient.invalidateQueries({ queryKey: referralKeys.allNetwork });
    },
  });
}
