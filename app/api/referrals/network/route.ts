import { route } from "@/lib/api/route";
import { targetAccount } from "@/lib/auth/caller";
import { getReadPrisma } from "@/lib/db/client";
import { networkPage } from "@/lib/referrals/network-tree";
import { NetworkPageResponse, NetworkQuery } from "@/lib/referrals/schemas";

export const GET = route(
  {
    method: "GET",
    path: "/api/referrals/network",
    auth: "account",
    summary: "One page of an account's referrals (newest first) with what each and its branch earned the root",
    description:
      "The tree view of a referral network, three levels deep. `parent` is the root (default) or an account on its " +
      "level 1 or 2 (404 otherwise). A user reads its own network; the operator names the root with `root`.",
    tags: ["Accounts and referrals"],
    query: NetworkQuery,
    response: NetworkPageResponse,
    errors: ["invalid_cursor", "not_in_network"],
    examples: {
      response: {
        rootId: "usr_3kTMd92LxQp0aZr8WvYb",
        parentId: "usr_3kTMd92LxQp0aZr8WvYb",
        parentLevel: 0,
        total: 5,
        children: [
          {
            accountId: "usr_Pq4Wn7Xc2Lk9Mj3Hb5Gv",
            level: 1,
            joinedAt: "2026-02-10T08:00:00.000Z",
            earnedYou: 0.3,
            branchEarnedYou: 0.54,
            referrals: 3,
            branchSize: 9,
          },
        ],
        nextCursor: null,
      },
    },
  },
  async ({ caller, query }) => {
    const root = targetAccount(caller, query.root);
    return networkPage(getReadPrisma(), root, query.parent ?? root, { limit: query.limit, cursor: query.cursor });
  },
);
