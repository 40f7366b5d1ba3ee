import { route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { programExamples, ProgramParams, ProgramPatch, ProgramVersion } from "@/lib/programs/schemas";
import { programName, programView, UnknownProgram, updateProgram } from "@/lib/programs/store";

export const PUT = route(
  {
    method: "PUT",
    path: "/api/programs/{name}",
    auth: "secret",
    summary: "Change a program's rules: a partial document becomes a new version, in force for every later event",
    tags: ["Programs"],
    params: ProgramParams,
    body: ProgramPatch,
    response: ProgramVersion,
    errors: [new UnknownProgram("loyalty")],
    examples: { request: programExamples.change, response: programExamples.changed },
  },
  async ({ params, body, caller }) =>
    programView(await updateProgram(getPrisma(), programName(params.name), body, keyActor(caller))),
);
