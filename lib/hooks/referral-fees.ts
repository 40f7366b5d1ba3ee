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
import { apiError, apiUrl, getHeaders } from "./api";
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
    queryFn: async (): Promise<ReferralFeeBalance> => {
      const res = await fetch(`${apiUrl}/api/referral-fees/balance`, { headers: getHeaders() });
      if (!res.ok) throw await apiError(res, "Failed to fetch balance");
      return res.json();
    },
    staleTime: 1000 * 30,
    refetchInterval: pollUnlessLive(),
    initialData: options.initialData,
  });
}

// Get individual fee entries
export function useReferralFeeEntries(options: { initialData?: ReferralFeeEntriesResponse } = {}) {
  return useQuery({
    queryKey: referralFeeKeys.entries,
    queryFn: async (): Promise<ReferralFeeEntriesResponse> => {
      const res = await fetch(`${apiUrl}/api/referral-fees/entries`, { headers: getHeaders() });
      if (!res.ok) throw await apiError(res, "Failed to fetch entries");
      return res.json();
    },
    staleTime: 1000 * 30,
    refetchInterval: pollUnlessLive(),
    initialData: options.initialData,
  });
}

// Claim fees
export function useClaimReferralFees() {
  const queryClient = useQueryClient();

  return useMutation({
    mutationFn: async (): Promise<ReferralFeeClaimResult> => {
      const res = await fetch(`${apiUrl}/api/referral-fees/claim`, {
        method: "POST",
        headers: getHeaders(),
      });
      if (!res.ok) throw await apiError(res, "Claim failed");
      return res.json();
    },
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
    queryFn: async (): Promise<ReferralFeeClaimsResponse> => {
      const res = await fetch(`${apiUrl}/api/referral-fees/claims`, { headers: getHeaders() });
      if (!res.ok) throw await apiError(res, "Failed to fetch claims");
      return res.json();
    },
    staleTime: 1000 * 60,
    refetchInterval: pollUnlessLive(),
    initialData: options.initialData,
  });
}

/** An older page of entries, after `cursor` (a `nextCursor` of the page before). */
export function useReferralFeeEntriesPage(cursor: string) {
  return useQuery({
    queryKey: [...referralFeeKeys.entries, "after", cursor],
    queryFn: async (): Promise<ReferralFeeEntriesResponse> => {
      const res = await fetch(`${apiUrl}/api/referral-fees/entries?cursor=${encodeURIComponent(cursor)}`, {
        headers: getHeaders(),
      });
      if (!res.ok) throw await apiError(res, "Failed to fetch entries");
      return res.json();
    },
    staleTime: 1000 * 30,
    // When the page above moves (new entries arrived), keep these rows on screen until the new page is in.
    placeholderData: keepPreviousData,
  });
}

/** An older page of claims, after `cursor`. */
export function useReferralFeeClaimsPage(cursor: string) {
  return useQuery({
    queryKey: [...referralFeeKeys.claims, "after", cursor],
    queryFn: async (): Promise<ReferralFeeClaimsResponse> => {
      const res = await fetch(`${apiUrl}/api/referral-fees/claims?cursor=${encodeURIComponent(cursor)}`, {
        headers: getHeaders(),
      });
      if (!res.ok) throw await apiError(res, "Failed to fetch claims");
      return res.json();
    },
    staleTime: 1000 * 60,
    placeholderData: keepPreviousData,
  });
}
