/**
 * The interactive API reference at /docs/api: Scalar renders the app's own OpenAPI document, with each route's
 * examples and refusals, from a script this app serves, under the page CSP and without a violation.
 */
import { expect, test } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { watchCsp } from "./dashboard-support";
import { SCREENSHOT_DIR } from "./screenshot";

test("the home page links the reference; it renders every route, its examples and error codes, under the CSP", async ({
  page,
  baseURL,
}) => {
  const violations = await watchCsp(page);
  const elsewhere: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(baseURL!) && !request.url().startsWith("data:")) elsewhere.push(request.url());
  });

  await page.goto("/");
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(/\/docs\/api$/);
  const response = await page.request.get("/docs/api");
  const policy = response.headers()["content-security-policy"]!;
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
  const html = await response.text();
  expect(html).toContain(`nonce="${nonce}"`);
  expect(html).not.toContain("cdn.jsdelivr.net");

  await expect(page.getByRole("heading", { name: "Referral engine API" }).first()).toBeVisible({ timeout: 30_000 });
  // Each route is a region named by its summary, with its path, its request example and its refusals' codes.
  await page.getByRole("link", { name: /^Report API usage/ }).click();
  const usage = page.getByRole("region", { name: /^Report API usage/ });
  await expect(usage).toContainText("/api/events/usage");
  await expect(usage).toContainText("req_8731");
  await expect(usage).toContainText("invalid_request");
  await expect(usage).toContainText("not_found");

  await page.getByRole("link", { name: /^Claim all unclaimed referral fees/ }).click();
  const claim = page.getByRole("region", { name: /^Claim all unclaimed referral fees/ });
  await expect(claim).toContainText("nothing_to_claim");
  await expect(claim).toContainText("claim_in_progress");
  // The page is one long document: the screenshot is the claim's part of it, as a reader sees it at 1280 px.
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, "api-reference-1280.png") });

  expect(violations).toEqual([]);
  expect(elsewhere).toEqual([]);
});
