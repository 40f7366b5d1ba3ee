import { Reply, route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { adjust } from "@/lib/corrections/adjustments";
import { AdjustmentBody, AdjustmentResponse } from "@/lib/corrections/schemas";
import { getPrisma } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";

export const POST = route(
  {
    method: "POST",
    path: "/api/adjustments",
    auth: "secret",
    summary: "Credit or debit one account's POINTS or a currency, with a reason (idempotent on adjustmentId)",
    description: "201 with the new adjustment; 200 with the first one when the adjustmentId was already used.",
    tags: ["Money operations"],
    body: AdjustmentBody,
    status: 201,
    response: AdjustmentResponse,
    errors: [new NotFound("Account", "usr_3kTMd92LxQp0aZr8WvYb")],
    examples: {
      request: {
        adjustmentId: "adj_7",
        accountId: "usr_3kTMd92LxQp0aZr8WvYb",
        unit: "POINTS",
        amount: 10,
        reason: "Goodwill for the outage of 2026-02-20",
      },
      response: {
        id: "a3f1c9d2-7e4b-4a6c-9d8e-1f2a3b4c5d6e",
        adjustmentId: "adj_7",
        accountId: "usr_3kTMd92LxQp0aZr8WvYb",
        unit: "POINTS",
        amount: 10,
        reason: "Goodwill for the outage of 2026-02-20",
        createdAt: "2026-02-22T12:00:00.000Z",
      },
    },
  },
  async ({ body, caller }) => {
    const { adjustment, created } = await adjust(getPrisma(), body, keyActor(caller));
    return new Reply(created ? 201 : 200, adjustment);
  },
);
