import { route } from "@/lib/api/route";
import { exposition } from "@/lib/observability/metrics";

export const dynamic = "force-dynamic";

export const GET = route(
  {
    method: "GET",
    path: "/api/metrics",
    auth: "metrics",
    summary: "Prometheus metrics of this instance",
    description:
      "Prometheus text format. Authorization: `Bearer $METRICS_TOKEN`, or the operator's secret key (in `x-api-key`, " +
      "or as the bearer). " +
      "Each instance reports what it counted itself; scrape every instance.",
    tags: ["Operations"],
  },
  async () => {
    const { body, contentType } = await exposition();
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  },
);
