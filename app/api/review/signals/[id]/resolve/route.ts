import { route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { resolveSignal } from "@/lib/risk/review";
import { ResolveSignalBody, Signal, signalExample, SignalParams } from "@/lib/risk/schemas";

export const POST = route(
  {
    method: "POST",
    path: "/api/review/signals/{id}/resolve",
    auth: "secret",
    summary: "Resolve a risk signal with a note; audited",
    description:
      "Recorded as `signal.resolved`. Resolving changes nothing else (a freeze stays until unfrozen); resolving a resolved signal changes nothing.",
    tags: ["Money operations"],
    params: SignalParams,
    body: ResolveSignalBody,
    response: Signal,
    errors: ["not_found"],
    examples: {
      request: { resolution: "Same household; not abuse" },
      response: {
        ...signalExample,
        status: "resolved",
        resolvedAt: "2026-02-22T15:00:00.000Z",
        resolvedBy: "key:sk_live_Ab3d",
        resolution: "Same household; not abuse",
      },
    },
  },
  async ({ caller, params, body }) =>
    resolveSignal(getPrisma(), { id: params.id, resolution: body.resolution, actor: keyActor(caller) }),
);
