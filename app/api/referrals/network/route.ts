import { z } from "zod";
import { route } from "@/lib/api/route";
import { targetAccount } from "@/lib/auth/caller";
import { MAX_NETWORK_PAGE_SIZE, networkPage } from "@/lib/referrals/network-tree";
import { getPrisma } from "@/lib/db/client";

const Decimal = z.number();
const AccountId = z.string().min(1).max(64);

const NetworkPageResponse = z.object({
  rootId: z.string(),
  parentId: z.string(),
  parentLevel: z.number().int().openapi({ description: "0 for the root itself, else 1 or 2" }),
  total: z.number().int().openapi({ description: "The parent's direct referrals in all" }),
  children: z.array(
    z.object({
      accountId: z.string(),
      level: z.number().int().openapi({ description: "1-3 in the root's network" }),
      joinedAt: z.string().openapi({ format: "date-time" }),
      earnedYou: Decimal.openapi({ description: "Points the root earned from this account's own activity" }),
      branchEarnedYou: Decimal.openapi({
        description: "Points the root earned from this account and its referrals within three levels",
      }),
      referrals: z.number().int(),
      branchSize: z.number().int(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const GET = route(
  {
    method: "GET",
    path: "/api/referrals/network",
    auth: "account",
    summary: "One page of an account's referrals (newest first) with what each and its branch earned the root",
    description:
      "The tree view of a referral network, three levels deep. `parent` is the root (default) or an account on its level 1 or 2 " +
      "(404 otherwise). A user reads its own network; the operator names the root with `root`.",
    tags: ["Accounts and referrals"],
    query: z
      .object({
        parent: AccountId.optional(),
        root: AccountId.optional(),
        cursor: z.string().min(1).max(200).optional(),
        limit: z.coerce
          .number()
          .int()
          .min(1)
          .max(MAX_NETWORK_PAGE_SIZE)
          .optional()
          .openapi({ description: "20 by default" }),
      })
      .strict(),
    response: NetworkPageResponse,
    errors: [404],
  },
  async ({ caller, query }) => {
    const root = targetAccount(caller, query.root);
    return networkPage(getPrisma(), root, query.parent ?? root, { limit: query.limit, cursor: query.cursor });
  },
);
