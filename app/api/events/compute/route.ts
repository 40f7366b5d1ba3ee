import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { recordComputeEvents } from "@/lib/rewards";
import { ComputeBody, ComputeResponse } from "@/lib/rewards/schemas";

export const POST = route(
  {
    method: "POST",
    path: "/api/events/compute",
    auth: "secret",
    summary:
      "Report compute served: credits the provider's earnings (rate card) and its referrers' shares (one event or up to 1,000)",
    description:
      "Idempotent on eventId: a replay credits nothing and returns the first result with `duplicate: true`. A batch with any invalid event or unknown provider is refused whole (400); a single event naming an unknown provider (or a user) is 404.",
    tags: ["Events"],
    body: ComputeBody,
    response: ComputeResponse,
    errors: [404],
  },
  async ({ body }) => ({ results: await recordComputeEvents(getPrisma(), body.events, { single: body.single }) }),
);
