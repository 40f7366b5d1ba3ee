import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { programExamples, ProgramParams, ProgramVersionsResponse } from "@/lib/programs/schemas";
import { programName, programVersions, programView, UnknownProgram } from "@/lib/programs/store";

export const GET = route(
  {
    method: "GET",
    path: "/api/programs/{name}/versions",
    auth: "secret",
    summary: "Every version of one program, newest first",
    tags: ["Programs"],
    params: ProgramParams,
    response: ProgramVersionsResponse,
    errors: [new UnknownProgram("loyalty")],
    examples: { response: programExamples.versions },
  },
  async ({ params }) => ({
    versions: (await programVersions(getPrisma(), programName(params.name))).map(programView),
  }),
);
