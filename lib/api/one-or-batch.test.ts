import { describe, expect, it } from "vitest";
import { z } from "zod";
import { oneOrBatch } from "./one-or-batch";
import { openApiDocument } from "./openapi";
import { route } from "./route";

const Ping = z.object({ pingId: z.string().min(1), count: z.number().int().min(0) });

const echo = route(
  { method: "POST", path: "/api/test/pings", auth: "none", summary: "Pings for tests", body: oneOrBatch(Ping, 3) },
  async ({ body }) => body,
);

async function post(body: unknown) {
  const res = await echo(
    new Request("http://x/api/test/pings", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    }),
    { params: Promise.resolve({}) },
  );
  return { status: res.status, json: await res.json() };
}

describe("oneOrBatch", () => {
  it("reads one event as a batch of one flagged single, and a batch as it is", async () => {
    expect(await post({ pingId: "a", count: 1 })).toEqual({
      status: 200,
      json: { events: [{ pingId: "a", count: 1 }], single: true },
    });
    expect(
      await post({
        events: [
          { pingId: "a", count: 1 },
          { pingId: "b", count: 2 },
        ],
      }),
    ).toEqual({
      status: 200,
      json: {
        events: [
          { pingId: "a", count: 1 },
          { pingId: "b", count: 2 },
        ],
        single: false,
      },
    });
  });

  it("names the field as the caller wrote it", async () => {
    const one = await post({ pingId: "a", count: -1 });
    expect(one.status).toBe(400);
    expect(one.json.message).toMatch(/^body\.count: /);

    const batch = await post({
      events: [
        { pingId: "a", count: 1 },
        { pingId: "", count: 1 },
      ],
    });
    expect(batch.status).toBe(400);
    expect(batch.json.message).toMatch(/^body\.events\.1\.pingId: /);
  });

  it.each([
    ["an empty batch", { events: [] }, "body.events"],
    [
      "a batch over the limit",
      { events: Array.from({ length: 4 }, (_, i) => ({ pingId: `p${i}`, count: 1 })) },
      "body.events",
    ],
    ["events that are not a list", { events: { pingId: "a", count: 1 } }, "body.events"],
    ["a bare list", [{ pingId: "a", count: 1 }], "body"],
    ["a string", "ping", "body"],
    ["null", null, "body"],
  ])("refuses %s with 400", async (_name, body, where) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.json.message.startsWith(`${where}: `)).toBe(true);
  });

  it("documents both accepted shapes and not the internal flag", () => {
    const body = openApiDocument().paths?.["/api/test/pings"]?.post?.requestBody;
    const schema = body && "content" in body ? body.content["application/json"]?.schema : undefined;
    expect(schema && "anyOf" in schema ? schema.anyOf?.length : 0).toBe(2);
    expect(JSON.stringify(schema)).toContain('"pingId"');
    expect(JSON.stringify(schema)).toContain('"maxItems":3');
    expect(JSON.stringify(schema)).not.toContain("single");
  });
});
