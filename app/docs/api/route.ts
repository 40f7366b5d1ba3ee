/**
 * The interactive API reference: Scalar renders /api/openapi.json in the browser. Its script is served by this
 * app (./reference.js), never a CDN, and every script on the page carries the request's CSP nonce (proxy.ts), so
 * the page runs under the same Content-Security-Policy as every other page, without a violation.
 */
import { ApiReference } from "@scalar/nextjs-api-reference";
import { REFERENCE_SCRIPT_PATH } from "@/lib/api/reference";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const nonce = request.headers.get("x-nonce") ?? undefined;
  const rendered = ApiReference({
    url: "/api/openapi.json",
    cdn: REFERENCE_SCRIPT_PATH,
    nonce,
    pageTitle: "API reference · Referral engine",
    // Every route on one page, so a search in the page finds any route, field or error code.
    defaultOpenAllTags: true,
    // Nothing leaves this site: no fonts from Scalar's servers, no usage reports, none of Scalar's hosted services
    // (its AI agent, SDK generator, MCP server, developer toolbar).
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: "never",
  })();
  const html = await rendered.text();
  // The bundle's zod probes `Function("")` to decide whether it may compile its validators; under a CSP without
  // 'unsafe-eval' the probe is refused and reported as a violation. `jitless`, read from this global when the
  // bundle loads, skips the probe.
  const page = html
    .replace("<html>", '<html lang="en">')
    .replace(
      "<head>",
      `<head>\n    <script nonce="${nonce}">globalThis.__zod_globalConfig = { jitless: true };</script>`,
    );
  return new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } });
}
