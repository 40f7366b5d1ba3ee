import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { recordUsageEvents } from "@/lib/rewards";
import { UsageBody, UsageResponse } from "@/lib/rewards/schemas";

export const POST = route(
  {
    method: "POST",
    path: "/api/events/usage",
    auth: "secret",
    summary: "Report API usage: credits the user's points and its referrers' shares (one event or up to 1,000)",
    description:
      "Idempotent on requestId: a replay credits nothing and returns the first result with `duplicate: true`. A batch with any invalid event or unknown user is refused whole (400); a single event naming an unknown user (or a provider) is 404.",
    tags: ["Events"],
    body: UsageBody,
    response: UsageResponse,
    errors: [404],
  },
  async ({ body }) => ({ results: await recordUsageEvents(getPrisma(), body.events, { single: body.single }) }),
);
