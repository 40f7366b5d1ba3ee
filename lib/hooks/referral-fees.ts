/**
 * The Perpetual Earnings program's React Query hooks (docs/dashboards.md): same names, query keys,
 * stale times and invalidations. Differences, all additive: URLs are relative with the session cookie (see
 * ./api.ts for bearer tokens); each query refetches when the live stream says its data changed, and polls every
 * LIVE_REFETCH_MS while the stream is down (./live.ts), so new earnings show within 5 s; errors keep the API's status and message; older pages of entries and claims are read with
 * `useReferralFeeEntriesPage` / `useReferralFeeClaimsPage`, whose keys start with the seed's keys so the claim's
 * invalidations refresh them too.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  Balance,
  ClaimResponse,
  Claims,
  CurrencyBreakdown as CurrencyBreakdownSchema,
  Entries,
} from "@/lib/fees/schemas";
import { fetchJson } from "./api";
import { pollUnlessLive } from "./live";

// The wire shapes, derived from the server's schemas (lib/fees/schemas.ts): the seed's types, plus this API's
// additive fields (claimInProgress, unpricedCurrencies, nextCursor, the claims' legacy fields).
export type CurrencyBreakdown = z.infer<typeof CurrencyBreakdownSchema>;
export type ReferralFeeBalance = z.infer<typeof Balance>;
export type ReferralFeeEntriesResponse = z.infer<typeof Entries>;
export type ReferralFeeEntry = ReferralFeeEntriesResponse["entries"][number];
/** What POST /api/referral-fees/claim answers. */
export type ReferralFeeClaimResult = z.infer<typeof ClaimResponse>;
export type ReferralFeeClaimsResponse = z.infer<typeof Claims>;
export type ReferralFeeClaim = ReferralFeeClaimsResponse["claims"][number];

export const referralFeeKeys = {
  balance: ["referral-fee-balance"] as const,
  entries: ["referral-fee-entries"] as const,
  claims: ["referral-fee-claims"] as const,
};

// Get accumulated balance + claim eligibility
export function useReferralFeeBalance(options: { initialData?: ReferralFeeBalance } = {}) {
  return useQuery({
    queryKey: referralFeeKeys.balance,
    queryFn: () => fetchJson<ReferralFeeBalance>("/api/referral-fees/balance", "Failed to fetch balance"),
    staleTime: 1000 * 30,
    refetchInterval: pollUnlessLive(),
    initialData: options.initialData,
  });
}

// Get individual fee entries
export function useReferralFeeEntries(options: { initialData?: ReferralFeeEntriesResponse } = {}) {
  return useQuery({
    queryKey: referralFeeKeys.entries,
    queryFn: () => fetchJson<ReferralFeeEntriesResponse>("/api/referral-fees/entries", "Failed to fetch entries"),
    staleTime: 1000 * 30,
    refetchInterval: pollUnlessLive(),
    initialData: options.initialData,
  });
}

// Claim fees
export function useClaimReferralFees() {
  const queryClient = useQueryClient();

  return useMutation({
    mutationFn: () => fetchJson<ReferralFeeClaimResult>("/api/referral-fees/claim", "Claim failed", { method: "POST" }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: referralFeeKeys.balance });
      queryClient.invalidateQueries({ queryKey: referralFeeKeys.entries });
      queryClient.invalidateQueries({ queryKey: referralFeeKeys.claims });
    },
  });
}

// Get claim history
export function useReferralFeeClaims(options: { initialData?: ReferralFeeClaimsResponse } = {}) {
  return useQuery({
    queryKey: referralFeeKeys.claims,
    queryFn: () => fetchJson<ReferralFeeClaimsResponse>("/api/referral-fees/claims", "Failed to fetch claims"),
    staleTime: 1000 * 60,
    refetchInterval: pollUnlessLive(),
    initialData: options.initialData,
  });
}

/** An older page of entries, after `cursor` (a `nextCursor` of the page before). */
export function useReferralFeeEntriesPage(cursor: string) {
  return useQuery({
    queryKey: [...referralFeeKeys.entries, "after", cursor],
    queryFn: () =>
      fetchJson<ReferralFeeEntriesResponse>(
        `/api/referral-fees/entries?cursor=${encodeURIComponent(cursor)}`,
        "Failed to fetch entries",
      ),
    staleTime: 1000 * 30,
    // When the page above moves (new entries arrived), keep these rows on screen until the new page is in.
    placeholderData: keepPreviousData,
  });
}

/** An older page of claims, after `cursor`. */
export function useReferralFeeClaimsPage(cursor: string) {
  return useQuery({
    queryKey: [...referralFeeKeys.claims, "after", cursor],
    queryFn: () =>
      fetchJson<ReferralFeeClaimsResponse>(
        `/api/referral-fees/claims?cursor=${encodeURIComponent(cursor)}`,
        "Failed to fetch claims",
      ),
    staleTime: 1000 * 60,
    placeholderData: keepPreviousData,
  });
}
