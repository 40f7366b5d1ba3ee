import { route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { reverse } from "@/lib/corrections/reversals";
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
    errors: [404, 409],
  },
  async ({ body, caller }) => ({
    results: await reverse(getPrisma(), body.events, keyActor(caller), { single: body.single }),
  }),
);
