import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { recordUsageEvents } from "@/lib/rewards";
import { UsageBody, UsageResponse } from "@/lib/rewards/schemas";
import { UnknownEarner } from "@/lib/rewards/events";

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
    errors: [new UnknownEarner(true, "user", "userId", "usr_3kTMd92LxQp0aZr8WvYb")],
    examples: {
      request: {
        requestId: "req_8731",
        userId: "usr_3kTMd92LxQp0aZr8WvYb",
        endpoint: "/chat/completions",
        tokens: 1000,
      },
      response: {
        results: [
          {
            requestId: "req_8731",
            points: 2,
            shares: [
              { accountId: "usr_Hq8Zc1Vb0Ne4Rt6Yu2Io", level: 1, points: 0.3 },
              { accountId: "usr_Ld5Ks8Fj1Gh4Qw7Er0Ty", level: 2, points: 0.16 },
              { accountId: "usr_Zx2Cv5Bn8Mq1Wa4Sd7Fg", level: 3, points: 0.08 },
            ],
            duplicate: false,
          },
        ],
      },
    },
  },
  async ({ body }) => ({ results: await recordUsageEvents(getPrisma(), body.events, { single: body.single }) }),
);
