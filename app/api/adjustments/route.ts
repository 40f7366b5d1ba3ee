import { Reply, route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { adjust } from "@/lib/corrections/adjustments";
import { AdjustmentBody, AdjustmentResponse } from "@/lib/corrections/schemas";
import { getPrisma } from "@/lib/db/client";

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
    errors: [404],
  },
  async ({ body, caller }) => {
    const { adjustment, created } = await adjust(getPrisma(), body, keyActor(caller));
    return new Reply(created ? 201 : 200, adjustment);
  },
);
