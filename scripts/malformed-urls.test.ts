import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const preload = fileURLToPath(new URL("./malformed-urls.mjs", import.meta.url));
// A server made with http.createServer, as `next start` makes its own, that answers with the path it saw.
const server = `
  const http = require("node:http");
  const s = http.createServer((req, res) => res.end(JSON.stringify({ seen: req.url })));
  s.listen(0, "127.0.0.1", () => console.log(s.address().port));
`;

async function withServer<T>(run: (base: string) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, ["--import", preload, "-e", server]);
  try {
    const [line] = (await once(child.stdout, "data")) as [Buffer];
    return await run(`http://127.0.0.1:${line.toString().trim()}`);
  } finally {
    child.kill();
  }
}

describe("the production server, given a path that is not percent-encoded UTF-8", () => {
  it("answers 400 naming the path, with the security headers, and never hands it to the app", async () => {
    await withServer(async (base) => {
      for (const path of ["/api/user/%ED%A0%80/referral-stats", "/api/accounts/%/freeze", "/r/%F0", "/r/%C0%AF"]) {
        const res = await fetch(base + path);
        expect(res.status, path).toBe(400);
        expect(await res.json()).toEqual({
          error: "Invalid request",
          message: "path: not valid percent-encoded UTF-8",
          code: "invalid_request",
        });
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
        expect(res.headers.get("x-frame-options")).toBe("DENY");
        expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      }
    });
  });

  it("hands every other request to the app as it came, query strings included", async () => {
    await withServer(async (base) => {
      for (const path of ["/api/health", "/r/usr_%41b?x=%ED%A0%80", "/api/user/%00/referral-stats", "/%E2%82%AC"]) {
        const res = await fetch(base + path);
        expect(res.status, path).toBe(200);
        expect((await res.json()).seen).toBe(path);
      }
    });
  });
});
