import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { recordComputeEvents } from "@/lib/rewards";
import { ComputeBody, ComputeResponse, computeEventExample } from "@/lib/rewards/schemas";
import { UnknownEarner } from "@/lib/rewards/events";

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
    errors: [new UnknownEarner(true, "provider", "providerId", "prov_7Yh3Nc0Qa6Rb2Tm9Wk4Lp")],
    examples: {
      request: computeEventExample,
      response: {
        results: [
          {
            eventId: "cmp_5521",
            points: 0.696,
            shares: [
              { accountId: "prov_Qw3Er6Ty9Ui2Op5As8Df", level: 1, points: 0.0696 },
              { accountId: "prov_Zx2Cv5Bn8Mq1Wa4Sd7Fg", level: 2, points: 0.0348 },
              { accountId: "prov_Ld5Ks8Fj1Gh4Qw7Er0Ty", level: 3, points: 0.0174 },
            ],
            duplicate: false,
          },
        ],
      },
    },
  },
  async ({ body }) => ({ results: await recordComputeEvents(getPrisma(), body.events, { single: body.single }) }),
);
