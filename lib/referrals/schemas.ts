/** Request and response shapes of the account and referral routes (DESIGN §10). */
import { z } from "zod";

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
