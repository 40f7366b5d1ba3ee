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
