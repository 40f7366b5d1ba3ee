/** Request and response shapes of the freeze and review-queue routes (docs/api.md, Money operations). */
import { z } from "@/lib/api/openapi";
import { DEFAULT_SIGNAL_PAGE, MAX_SIGNAL_PAGE } from "./review";
import { SIGNAL_KINDS } from "./signals";

export const AccountIdParams = z.object({ id: z.string().min(1).max(64) });

export const FreezeBody = z.object({
  reason: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .openapi({ description: "Why, for the audit log and the account's page", example: "Chargebacks under review" }),
});

export const SignalParams = z.object({ id: z.string().min(1).max(64) });

export const SignalsQuery = z
  .object({
    status: z.enum(["open", "resolved", "all"]).optional().openapi({ description: "open by default" }),
    accountId: z.string().min(1).max(64).optional().openapi({ description: "Only the signals about this account" }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_SIGNAL_PAGE)
      .optional()
      .openapi({ description: `Page size, ${DEFAULT_SIGNAL_PAGE} by default` }),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

export const Signal = z.object({
  id: z.string(),
  kind: z.enum(SIGNAL_KINDS),
  description: z.string().openapi({ description: "The kind in words" }),
  accountId: z.string().openapi({ description: "The account it is about: the one an automatic freeze stops" }),
  subject: z.string().openapi({
    description: "What makes it the same signal again: wallet:<address>, referral:<accountId> or code:<UTC hour>",
  }),
  details: z.unknown(),
  status: z.enum(["open", "resolved"]),
  createdAt: z.string().openapi({ format: "date-time" }),
  resolvedAt: z.string().nullable().openapi({ format: "date-time" }),
  resolvedBy: z.string().nullable().openapi({ description: "The audit log's actor of the resolution" }),
  resolution: z.string().nullable(),
});

export const SignalsResponse = z.object({ signals: z.array(Signal), nextCursor: z.string().nullable() });

export const ResolveSignalBody = z.object({
  resolution: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .openapi({ description: "What was found or done", example: "Same household; not abuse" }),
});

export const signalExample = {
  id: "0b6c1f3e-2d4a-4e8b-9c7d-5a1f2e3d4c5b",
  kind: "wallet_reused",
  description: "A wallet linked to this account is or was linked to another account",
  accountId: "usr_3kTMd92LxQp0aZr8WvYb",
  subject: "wallet:0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
  details: { address: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc", otherAccountIds: ["usr_Hq8Zc1Vb0Ne4Rt6Yu2Io"] },
  status: "open",
  createdAt: "2026-02-22T12:00:00.000Z",
  resolvedAt: null,
  resolvedBy: null,
  resolution: null,
} satisfies z.input<typeof Signal>;
