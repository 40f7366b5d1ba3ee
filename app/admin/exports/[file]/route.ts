/**
 * The console's downloads: the same files as GET /api/exports/*.csv, for the operator signed in to the console.
 * Its cookie is httpOnly, SameSite=Strict and scoped to /admin, so only a navigation from this site carries it:
 * another site can link here but not download as the operator. A GET changes nothing.
 */
import { cookies } from "next/headers";
import { checkFilters, exportNamed, filterValues } from "@/lib/admin/exports";
import { ADMIN_COOKIE, operatorFromCookie } from "@/lib/admin/session";
import { csvResponse } from "@/lib/api/csv";
import { errorResponse } from "@/lib/api/route";
import { getPrisma, getReadPrisma } from "@/lib/db/client";
import { InvalidRequest, NotFound } from "@/lib/errors";
import { openExport } from "@/lib/exports/files";
import { observe } from "@/lib/observability/observe";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ file: string }> };

export const GET = observe(
  { route: "/admin/exports/[file]", method: "GET" },
  async (request: Request, _requestId: string, context: Context) => {
    const operator = await operatorFromCookie(getPrisma(), (await cookies()).get(ADMIN_COOKIE)?.value);
    // Signed out (or the key was revoked) since the page was shown: back to the console's sign-in.
    if (!operator) return new Response(null, { status: 303, headers: { location: "/admin/exports" } });
    const { file } = await context.params;
    const name = exportNamed(file);
    if (!name) throw new NotFound("Export", file);
    const params = new URL(request.url).searchParams;
    const checked = await checkFilters(
      getReadPrisma(),
      filterValues((field) => params.get(field)),
    );
    if (!checked.ok) throw new InvalidRequest(Object.values(checked.problems).join("; "));
    return csvResponse(await openExport(getReadPrisma(), name, checked.filters));
  },
  errorResponse,
);
