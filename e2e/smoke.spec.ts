import { expect, test } from "@playwright/test";
import { screenshotAtWidths } from "./screenshot";

test("the production build serves the home page and a healthy API", async ({ page, request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });

  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Referral engine" })).toBeVisible();
  await expect(page.getByRole("link", { name: "API reference", exact: true })).toHaveAttribute("href", "/docs/api");
  await expect(page.getByRole("link", { name: "OpenAPI document" })).toHaveAttribute("href", "/api/openapi.json");
  await screenshotAtWidths(page, "home");

  const openapi = await request.get("/api/openapi.json");
  expect(openapi.status()).toBe(200);
  const doc = await openapi.json();
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.paths["/api/health"].get).toBeDefined();
});

test("every /api answer carries a request id, an unknown path's JSON 404 too", async ({ request }) => {
  const given = await request.get("/api/health", { headers: { "x-request-id": "smoke-health-1" } });
  expect(given.headers()["x-request-id"]).toBe("smoke-health-1");
  const made = await request.get("/api/health");
  expect(made.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

  for (const method of ["GET", "POST"] as const) {
    const unknown = await request.fetch("/api/no/such/route", {
      method,
      headers: { "x-request-id": `smoke-unknown-${method}` },
    });
    expect(unknown.status()).toBe(404);
    expect(unknown.headers()["x-request-id"]).toBe(`smoke-unknown-${method}`);
    expect(await unknown.json()).toEqual({
      error: "Not found",
      message: "No API route here: see /api/openapi.json",
      code: "not_found",
    });
  }
  // Real routes stay theirs, dynamic segments included.
  expect((await request.get("/api/openapi.json")).status()).toBe(200);
  expect((await request.get("/api/user/usr_nobody/referral-stats")).status()).toBe(401);
});
