import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { HSTS } from "@/lib/security/headers";

const preload = fileURLToPath(new URL("./forwarded-headers.mjs", import.meta.url));
// A server made with http.createServer, as `next start` makes its own, that answers with the headers it saw.
const server = `
  const http = require("node:http");
  const s = http.createServer((req, res) => res.end(JSON.stringify(req.headers)));
  s.listen(0, "127.0.0.1", () => console.log(s.address().port));
`;

async function exchange(env: Record<string, string>, sent: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", preload, "-e", server], { env: { ...process.env, ...env } });
  try {
    const [line] = (await once(child.stdout, "data")) as [Buffer];
    const res = await fetch(`http://127.0.0.1:${line.toString().trim()}/`, { headers: sent });
    return { seen: (await res.json()) as Record<string, string | undefined>, answered: res.headers };
  } finally {
    child.kill();
  }
}

const headersSeen = async (env: Record<string, string>, sent: Record<string, string>) =>
  (await exchange(env, sent)).seen;

const spoofed = { "x-forwarded-for": "203.0.113.9", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };

describe("the production server's forwarded headers", () => {
  it("are the socket's truth unless TRUST_PROXY=true: a client's own X-Forwarded-* are dropped", async () => {
    const seen = await headersSeen({ TRUST_PROXY: "" }, spoofed);
    expect(seen["x-forwarded-for"]).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(seen["x-forwarded-host"]).toBeUndefined();
    expect(seen["x-forwarded-proto"]).toBeUndefined();
  });

  it("are the proxy's when TRUST_PROXY=true", async () => {
    const seen = await headersSeen({ TRUST_PROXY: "true" }, spoofed);
    expect(seen).toMatchObject(spoofed);
  });

  it("put HSTS on every answer of a site served over https: AUTH_URL is https, or the trusted proxy says so", async () => {
    const hsts = async (env: Record<string, string>, sent: Record<string, string> = {}) =>
      (await exchange({ AUTH_URL: "", APP_URL: "", TRUST_PROXY: "", ...env }, sent)).answered.get(
        "strict-transport-security",
      );
    expect(await hsts({ AUTH_URL: "https://rewards.example" })).toBe(HSTS);
    expect(await hsts({ APP_URL: "https://rewards.example" })).toBe(HSTS);
    expect(await hsts({ AUTH_URL: "http://127.0.0.1:3000" })).toBeNull();
    // A client's own X-Forwarded-Proto proves nothing; the trusted proxy's does.
    expect(await hsts({ AUTH_URL: "http://127.0.0.1:3000" }, { "x-forwarded-proto": "https" })).toBeNull();
    expect(await hsts({ TRUST_PROXY: "true" }, { "x-forwarded-proto": "https" })).toBe(HSTS);
    expect(await hsts({ TRUST_PROXY: "true" }, { "x-forwarded-proto": "http" })).toBeNull();
  });
});
