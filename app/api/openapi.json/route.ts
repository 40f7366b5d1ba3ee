import "./routes";
import { jsonResponse } from "@/lib/api/json";
import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-static";

export function GET() {
  return jsonResponse(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
