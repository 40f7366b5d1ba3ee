import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const preload = fileURLToPath(new URL("./forwarded-headers.mjs", import.meta.url));
// A server made with http.createServer, as `next start` makes its own, that answers with the headers it saw.
const server = `
  const http = require("node:http");
  const s = http.createServer((req, res) => res.end(JSON.stringify(req.headers)));
  s.listen(0, "127.0.0.1", () => console.log(s.address().port));
`;

async function headersSeen(env: Record<string, string>, sent: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", preload, "-e", server], { env: { ...process.env, ...env } });
  try {
    const [line] = (await once(child.stdout, "data")) as [Buffer];
    const res = await fetch(`http://127.0.0.1:${line.toString().trim()}/`, { headers: sent });
    return (await res.json()) as Record<string, string | undefined>;
  } finally {
    child.kill();
  }
}

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
});
