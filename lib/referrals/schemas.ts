/** Request and response shapes of the account and referral routes (docs/api.md, Accounts and referrals). */
import { z } from "@/lib/api/openapi";
import { MAX_NETWORK_PAGE_SIZE, NETWORK_PAGE_SIZE } from "./network-tree";

const Code = z.string().min(1).max(64);

export const CreateAccountBody = z.object({
  kind: z.enum(["user", "provider"]),
  referrer: Code.optional(),
  walletAddress: z.string().max(64).optional(),
  email: z.email().max(254).optional(),
  externalId: z.string().min(1).max(200).optional(),
});

export const AccountResponse = z.object({
  id: z.string(),
  kind: z.enum(["user", "provider"]),
  referralCode: z.string(),
  referredBy: z.string().nullable(),
  walletAddress: z.string().nullable(),
  createdAt: z.iso.datetime(),
  frozen: z.boolean().openapi({ description: "While true the account keeps earning but cannot claim" }),
  frozenReason: z.string().nullable().openapi({ description: "Why it is frozen; null when not frozen" }),
});

export const ApplyReferralBody = z.object({
  code: Code,
  /** Only the operator names the account; a user applies a code to itself. */
  accountId: Code.optional(),
});

export const ApplyReferralResponse = z.object({
  referredBy: z.string(),
  directBonus: z.object({ accountId: z.string(), points: z.number() }),
});

export const NetworkQuery = z
  .object({
    parent: Code.optional(),
    root: Code.optional(),
    cursor: z.string().min(1).max(200).optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_NETWORK_PAGE_SIZE)
      .optional()
      .openapi({ description: `${NETWORK_PAGE_SIZE} by default` }),
  })
  .strict();

export const NetworkPageResponse = z.object({
  rootId: z.string(),
  parentId: z.string(),
  parentLevel: z.number().int().openapi({ description: "0 for the root itself, else 1 or 2" }),
  total: z.number().int().openapi({ description: "The parent's direct referrals in all" }),
  children: z.array(
    z.object({
      accountId: z.string(),
      level: z.number().int().openapi({ description: "1-3 in the root's network" }),
      joinedAt: z.string().openapi({ format: "date-time" }),
      earnedYou: z.number().openapi({ description: "Points the root earned from this account's own activity" }),
      branchEarnedYou: z.number().openapi({
        description: "Points the root earned from this account and its referrals within three levels",
      }),
      referrals: z.number().int(),
      branchSize: z.number().int(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

/** The account object as the reference shows it (docs/api.md, Accounts and referrals). */
export const accountExample = {
  id: "usr_3kTMd92LxQp0aZr8WvYb",
  kind: "user",
  referralCode: "usr_3kTMd92LxQp0aZr8WvYb",
  referredBy: "usr_Hq8Zc1Vb0Ne4Rt6Yu2Io",
  walletAddress: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
  createdAt: "2026-02-01T09:00:00.000Z",
  frozen: false,
  frozenReason: null,
} satisfies z.input<typeof AccountResponse>;
