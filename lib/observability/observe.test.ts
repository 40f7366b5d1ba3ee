import { describe, expect, it } from "vitest";
import { z } from "zod";
import { route } from "@/lib/api/route";
import { DomainError } from "@/lib/errors";
import { logsFrom } from "@/lib/testing/logs";
import { scrub } from "./log";
import { exposition } from "./metrics";

const ok = route(
  {
    method: "GET",
    path: "/api/test/observe/{id}",
    auth: "none",
    summary: "test",
    params: z.object({ id: z.string() }),
  },
  async ({ params }) => ({ id: params.id }),
);
const refused = route(
  { method: "POST", path: "/api/test/observe-refused", auth: "none", summary: "test" },
  async () => {
    throw new DomainError("not_found", "Not found", "nothing here");
  },
);
const broken = route({ method: "POST", path: "/api/test/observe-broken", auth: "none", summary: "test" }, async () => {
  throw new Error("connect failed for postgresql://app:hunter2-password@db:5432/x with sk_live_0123456789abcdef");
});

function get(headers: Record<string, string> = {}) {
  return ok(new Request("http://x/api/test/observe/abc", { headers }), { params: Promise.resolve({ id: "abc" }) });
}

describe("request ids", () => {
  it("makes one when the request has none, and returns it", async () => {
    const res = await get();
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps a plausible id from the request", async () => {
    for (const id of ["lb-7f3a.91:abc_DEF-1", "Root=1-67891233-abcdef012345678912345678", "req/42+retry@edge"]) {
      const res = await get({ "x-request-id": id });
      expect(res.headers.get("x-request-id")).toBe(id);
    }
  });

  it.each([
    ["too long", "a".repeat(129)],
    ["unsafe characters", "abc/def<script>"],
    ["spaces and quotes", 'a" b'],
    ["a backtick", "a`b"],
    ["a key", "sk_live_0123456789abcdef"],
    ["a token", "eyJhbGciOiJIUzI1NiJ9.e30.sig"],
  ])("replaces an id that is %s", async (_, id) => {
    const res = await get({ "x-request-id": id });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("is on refusals and on 500s too", async () => {
    const a = await refused(new Request("http://x/", { method: "POST", headers: { "x-request-id": "r-404" } }), {
      params: Promise.resolve({}),
    });
    expect([a.status, a.headers.get("x-request-id")]).toEqual([404, "r-404"]);
    const b = await broken(new Request("http://x/", { method: "POST", headers: { "x-request-id": "r-500" } }), {
      params: Promise.resolve({}),
    });
    expect([b.status, b.headers.get("x-request-id")]).toEqual([500, "r-500"]);
    expect(await b.text()).not.toContain("hunter2");
  });
});

describe("request logs", () => {
  it("writes one JSON line per request with its id, route template, status and duration", async () => {
    const logs = logsFrom();
    await get({ "x-request-id": "log-line-1" });
    const lines = logs.lines().filter((l) => l.requestId === "log-line-1");
    expect(lines).toEqual([
      expect.objectContaining({
        level: "info",
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        requestId: "log-line-1",
        method: "GET",
        route: "/api/test/observe/{id}",
        status: 200,
        durationMs: expect.any(Number),
      }),
    ]);
  });

  it("logs a 500 at error level with the error scrubbed of credentials", async () => {
    const logs = logsFrom();
    await broken(new Request("http://x/", { method: "POST", headers: { "x-request-id": "log-line-500" } }), {
      params: Promise.resolve({}),
    });
    const lines = logs.lines().filter((l) => l.requestId === "log-line-500");
    expect(lines.map((l) => [l.level, l.status ?? null])).toEqual([
      ["error", null],
      ["error", 500],
    ]);
    const text = logs.text();
    expect(text).toContain("connect failed");
    expect(text).not.toContain("hunter2-password");
    expect(text).not.toContain("sk_live_0123456789abcdef");
  });
});

describe("scrub", () => {
  it.each([
    ["key sk_test_abcdef0123456789 used", "key [redacted] used"],
    ["pk_e2e_0011223344 and whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "[redacted] and [redacted]"],
    ["Authorization: Bearer abc.def.ghi", "Authorization: Bearer [redacted]"],
    ["token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln here", "token [redacted] here"],
    ["postgresql://app:s3cret@db:5432/app", "postgresql://app:[redacted]@db:5432/app"],
    ['{"password":"hunter2"}', '{"password":"[redacted]"}'],
    [`key 0x${"ab".repeat(32)}`, "key [redacted]"],
  ])("masks %s", (input, output) => {
    expect(scrub(input)).toBe(output);
  });

  it("leaves ordinary text alone", () => {
    const text = "claim 5f1c2b7e-0d6a-4a55-9a43-8d7c6b5a4f3e of usr_abc123 COMPLETED in 120 ms";
    expect(scrub(text)).toBe(text);
  });
});

describe("request duration histogram", () => {
  it("is labelled with method, the route's template and status", async () => {
    await get();
    const { body } = await exposition();
    expect(body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/test\/observe\/\{id\}",status="200"\} \d+/,
    );
  });
});

describe("HSTS on API answers", () => {
  it("is sent when the request came over https, answered or refused, and not over plain http", async () => {
    const saved = { AUTH_URL: process.env.AUTH_URL, APP_URL: process.env.APP_URL };
    delete process.env.AUTH_URL;
    delete process.env.APP_URL;
    try {
      const over = (url: string) => ok(new Request(url), { params: Promise.resolve({ id: "abc" }) });
      expect((await over("https://x/api/test/observe/abc")).headers.get("strict-transport-security")).toBe(
        "max-age=63072000; includeSubDomains",
      );
      expect((await over("http://x/api/test/observe/abc")).headers.get("strict-transport-security")).toBeNull();
      const refusal = await refused(new Request("https://x/api/test/observe-refused", { method: "POST" }), {
        params: Promise.resolve({}),
      });
      expect(refusal.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    } finally {
      Object.assign(process.env, saved);
      for (const [name, value] of Object.entries(saved)) if (value === undefined) delete process.env[name];
    }
  });
});
