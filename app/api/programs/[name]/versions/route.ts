import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { ProgramParams, ProgramVersionsResponse } from "@/lib/programs/schemas";
import { programName, programVersions, programView } from "@/lib/programs/store";

export const GET = route(
  {
    method: "GET",
    path: "/api/programs/{name}/versions",
    auth: "secret",
    summary: "Every version of one program, newest first",
    tags: ["Programs"],
    params: ProgramParams,
    response: ProgramVersionsResponse,
    errors: [404],
  },
  async ({ params }) => ({
    versions: (await programVersions(getPrisma(), programName(params.name))).map(programView),
  }),
);
