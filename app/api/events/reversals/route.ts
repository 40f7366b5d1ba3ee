import { route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { AlreadyReversed, reverse, UnknownSource } from "@/lib/corrections/reversals";
import { ReversalsBody, ReversalsResponse } from "@/lib/corrections/schemas";
import { getPrisma } from "@/lib/db/client";

export const POST = route(
  {
    method: "POST",
    path: "/api/events/reversals",
    auth: "secret",
    summary:
      "Reverse usage, compute or transaction events: mirror ledger rows, or void / claw back the referrer's fee (idempotent on reversalId)",
    tags: ["Money operations"],
    body: ReversalsBody,
    response: ReversalsResponse,
    errors: [new UnknownSource("transaction", "ord_123"), new AlreadyReversed("transaction", "ord_123")],
    examples: {
      request: { reversalId: "rev_91", source: "transaction", sourceId: "ord_123", reason: "chargeback" },
      response: {
        results: [
          {
            reversalId: "rev_91",
            source: "transaction",
            sourceId: "ord_123",
            entries: [{ accountId: "usr_3kTMd92LxQp0aZr8WvYb", unit: "KES", amount: -150 }],
            duplicate: false,
          },
        ],
      },
    },
  },
  async ({ body, caller }) => ({
    results: await reverse(getPrisma(), body.events, keyActor(caller), { single: body.single }),
  }),
);
