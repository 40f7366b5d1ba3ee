import { describe, expect, it } from "vitest";
import { call } from "@/lib/testing/http";
import { logsFrom } from "@/lib/testing/logs";
import { exposition } from "@/lib/observability/metrics";
import { DELETE, GET, PATCH, POST, PUT } from "./route";

describe("an /api path that is no route", () => {
  it.each([
    ["GET", GET],
    ["POST", POST],
    ["PUT", PUT],
    ["PATCH", PATCH],
    ["DELETE", DELETE],
  ] as const)("%s answers the JSON 404 envelope with the request's id", async (method, handler) => {
    const res = await call(handler, {
      method,
      path: "/api/no/such/route",
      headers: { "x-request-id": `unknown-route-${method}` },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json).toEqual({
      error: "Not found",
      message: "No API route here: see /api/openapi.json",
      code: "not_found",
    });
    expect(res.headers.get("x-request-id")).toBe(`unknown-route-${method}`);
  });

  it("is logged and measured under one route label, whatever the path", async () => {
    const logs = logsFrom();
    const res = await call(GET, { path: "/api/usr_secretish/xyz" });
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(logs.lines().filter((line) => line.requestId === id)).toEqual([
      expect.objectContaining({ level: "info", method: "GET", route: "/api/[...path]", status: 404 }),
    ]);
    const { body } = await exposition();
    expect(body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/\[\.\.\.path\]",status="404"\}/,
    );
    expect(body).not.toContain("usr_secretish");
  });
});
