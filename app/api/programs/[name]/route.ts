import { route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { ProgramParams, ProgramPatch, ProgramVersion } from "@/lib/programs/schemas";
import { programName, programView, updateProgram } from "@/lib/programs/store";

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
    errors: [404],
  },
  async ({ params, body, caller }) =>
    programView(await updateProgram(getPrisma(), programName(params.name), body, keyActor(caller))),
);
