import { route } from "@/lib/api/route";
import { pingDatabase } from "@/lib/db/health";
import { HealthResponse } from "@/lib/db/schemas";
import { getPrisma } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = route(
  {
    method: "GET",
    path: "/api/health",
    auth: "none",
    summary: "Liveness: 200 once the database answers",
    tags: ["Operations"],
    response: HealthResponse,
    errors: ["database_unavailable"],
    examples: { response: { status: "ok" } },
  },
  async () => {
    await pingDatabase(getPrisma());
    return { status: "ok" };
  },
);
