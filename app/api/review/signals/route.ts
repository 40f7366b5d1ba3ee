import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { listSignals } from "@/lib/risk/review";
import { signalExample, SignalsQuery, SignalsResponse } from "@/lib/risk/schemas";

export const GET = route(
  {
    method: "GET",
    path: "/api/review/signals",
    auth: "secret",
    summary: "The review queue: risk signals, newest first (open ones by default)",
    description:
      "Signals are raised as things happen (a shared wallet, a code applied in a burst, a referral mostly reversed) and block nothing by themselves. Page with `cursor` (the previous page's `nextCursor`).",
    tags: ["Money operations"],
    query: SignalsQuery,
    response: SignalsResponse,
    errors: ["invalid_cursor"],
    examples: { response: { signals: [signalExample], nextCursor: null } },
  },
  async ({ query }) => listSignals(getPrisma(), query),
);
