import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { programExamples, ProgramsResponse } from "@/lib/programs/schemas";
import { programsInForce, programView } from "@/lib/programs/store";

export const GET = route(
  {
    method: "GET",
    path: "/api/programs",
    auth: "secret",
    summary: "Both programs' rules in force (rewards and perpetual), with their version and since when",
    tags: ["Programs"],
    response: ProgramsResponse,
    examples: { response: programExamples.programs },
  },
  async () => {
    const { rewards, perpetual } = await programsInForce(getPrisma());
    return { rewards: programView(rewards), perpetual: programView(perpetual) };
  },
);
