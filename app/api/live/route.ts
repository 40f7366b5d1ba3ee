import { route } from "@/lib/api/route";
import { liveHub } from "@/lib/live/hub";
import { openLiveStream, LiveUnavailable, TooManyStreams } from "@/lib/live/stream";

export const dynamic = "force-dynamic";

export const GET = route(
  {
    method: "GET",
    path: "/api/live",
    auth: "user",
    summary: "Live updates of the caller's account (server-sent events)",
    description:
      'A `text/event-stream`: `event: changed` with `data: {"what":[…]}` (`rewards`, `fees`, `claims`) within a ' +
      "second of any change to the account, made on any instance; a comment heartbeat every 25 s. Refetch what " +
      "changed on each event; poll while the stream is down.",
    tags: ["Live updates"],
    errors: [new TooManyStreams(), new LiveUnavailable()],
  },
  async ({ caller, request }) => openLiveStream(liveHub(), caller.accountId, request.signal),
);
