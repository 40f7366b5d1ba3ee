import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { linkNewWallet, operatorForFile, signInAsOperator, signUp } from "./dashboard-support";
import { screenshotAtWidths } from "./screenshot";

// Every page, in the light and the dark scheme, at phone and desktop width: no serious or critical violation of
// WCAG 2.1 A/AA as axe-core sees it.
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const SCHEMES = ["light", "dark"] as const;

const op = operatorForFile({ KES: 0.0077, NGN: 0.00063 });

async function audit(page: Page, name: string) {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      expect(results.passes.length, "axe ran its rules").toBeGreaterThan(10);
      const blocking = results.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      expect(blocking, `${name}, ${scheme}, ${width} px`).toEqual([]);
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("public pages: home, sign-in, an invitation and a bad invitation", async ({ page }) => {
  const code = await op.createAccount({ kind: "user" });
  await page.goto("/");
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await audit(page, "home");
  await page.goto("/signin");
  await audit(page, "sign-in");
  await page.getByRole("tab", { name: "Email" }).click();
  await audit(page, "sign-in (email)");
  await page.goto(`/r/${code}`);
  await audit(page, "invitation");
  await page.goto("/r/usr_nobodyhasthiscode00");
  await audit(page, "bad invitation");
});

test("user dashboard with a network, its table view, an open branch and a refused code", async ({ page }) => {
  const me = await signUp(page);
  const a = await op.createAccount({ kind: "user", referrer: me });
  const b = await op.createAccount({ kind: "user", referrer: a });
  await op.usage(a, 1200);
  await op.usage(b, 800);
  await op.usage(me, 100);
  await page.reload();
  await audit(page, "user dashboard");

  await page.getByRole("button", { name: "Table" }).click();
  await page.getByRole("button", { name: `Show 1 referrals of ${a}` }).click();
  await expect(page.locator(`[data-account="${b}"]`)).toBeVisible();
  await page.getByRole("textbox", { name: "Referral code", exact: true }).fill(me);
  await page.getByRole("button", { name: "Apply Referral" }).click();
  await expect(page.getByTestId("apply-error")).not.toBeEmpty();
  await audit(page, "user dashboard (table, open branch, refusal)");
});

test("an empty user dashboard and an empty provider dashboard", async ({ page, browser }) => {
  await signUp(page);
  await audit(page, "empty user dashboard");
  const context = await browser.newContext();
  const other = await context.newPage();
  await signUp(other, { kind: "provider" });
  await audit(other, "provider dashboard");
  await context.close();
});

test("perpetual earnings: without a wallet, with fees, the confirmation, after a claim", async ({ page }) => {
  const me = await signUp(page);
  await page.goto("/dashboard/earnings");
  await audit(page, "earnings, no wallet");

  await linkNewWallet(page);
  const referral = await op.createAccount({ kind: "user", referrer: me });
  await op.transactions(referral, [
    { amount: 40_000, currency: "KES" },
    { amount: 90_000, currency: "NGN" },
  ]);
  await page.reload();
  await audit(page, "earnings with fees");

  await page.getByTestId("claim-button").click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await audit(page, "claim confirmation");
  await page.getByRole("button", { name: "Confirm claim" }).click();
  await expect(page.getByTestId("claim-result")).toContainText("Sent");
  await expect(page.getByTestId("claim-countdown")).toBeVisible();
  await audit(page, "earnings after a claim");
});

test("operator pages: sign-in, overview and exports", async ({ page }) => {
  await page.goto("/admin");
  await audit(page, "operator sign-in");
  await page.getByLabel("Secret API key").fill(process.env.E2E_SECRET_KEY!);
  await page.getByRole("button", { name: "Sign in as operator" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Operator overview" })).toBeVisible();
  await audit(page, "operator overview");
  await page.getByRole("link", { name: "Exports" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Exports" })).toBeVisible();
  await audit(page, "operator exports");
  await page.getByLabel("From", { exact: true }).fill("2026-03-31");
  await page.getByLabel("To", { exact: true }).fill("2026-03-01");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toBeVisible();
  await audit(page, "operator exports (refused filters)");
});

test("operator webhooks page: none yet, an endpoint with deliveries, the delete confirmation", async ({ page }) => {
  // Three pages in two schemes at two widths, on a shared machine.
  test.setTimeout(180_000);
  await signInAsOperator(page);
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  await audit(page, "operator webhooks");
  await page.getByLabel("URL").fill("http://127.0.0.1:9/a11y");
  await page.getByLabel("Every event type").uncheck();
  await page.getByLabel("account.created").check();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByTestId("webhook-secret")).toBeVisible();
  await op.createAccount({ kind: "user" });
  await page.reload();
  await expect(page.getByTestId("delivery-row").first()).toBeVisible();
  await audit(page, "operator webhooks, an endpoint and its deliveries");
  await page.getByRole("button", { name: "Delete the endpoint http://127.0.0.1:9/a11y" }).click();
  await expect(page.getByRole("dialog", { name: "Delete this endpoint?" })).toBeVisible();
  await audit(page, "operator webhooks, delete confirmation");
  await page.getByRole("button", { name: "Delete endpoint" }).click();
  await expect(page.getByTestId("webhook-endpoint")).toHaveCount(0);
});

test("operator console: account search, an account (frozen), the review queue, the audit log", async ({ page }) => {
  test.setTimeout(240_000);
  const referrer = await op.createAccount({
    kind: "user",
    walletAddress: privateKeyToAccount(generatePrivateKey()).address,
  });
  const referral = await op.createAccount({ kind: "user", referrer });
  await op.transactions(referral, [{ amount: 50_000, currency: "KES" }]);
  expect((await op.api.post(`/api/accounts/${referrer}/freeze`, { data: { reason: "a11y" } })).status()).toBe(200);
  await signInAsOperator(page);
  await page.goto(`/admin/accounts?q=${referrer}`);
  await expect(page.getByTestId("account-results")).toBeVisible();
  await audit(page, "account search");
  await page.goto(`/admin/accounts/${referrer}`);
  await expect(page.getByTestId("account-frozen-banner")).toBeVisible();
  await audit(page, "account page");
  await page.getByRole("button", { name: "Unfreeze" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await audit(page, "account page, confirmation");
  await page.goto(`/admin/accounts/${referral}`);
  await page.getByTestId("transaction-row").getByRole("button", { name: "Reverse" }).click();
  await expect(page.getByRole("dialog", { name: "Reverse this transaction?" })).toBeVisible();
  await audit(page, "account page, reverse confirmation");
  await page.goto("/admin/review?status=all");
  await audit(page, "review queue");
  await page.goto("/admin/audit");
  await expect(page.getByTestId("audit-table")).toBeVisible();
  await audit(page, "audit log");
});

test("operator programs page and its confirmation with the diff", async ({ page }) => {
  await signInAsOperator(page);
  await page.goto("/admin/programs");
  await expect(page.getByRole("heading", { level: 1, name: "Programs" })).toBeVisible();
  await audit(page, "operator programs");
  // The confirmation with its diff, cancelled: nothing is changed.
  await page.getByLabel("Whole fee").fill("2");
  await page
    .getByRole("region", { name: "Perpetual Earnings", exact: true })
    .getByRole("button", { name: "Review changes" })
    .click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await audit(page, "operator programs (confirmation)");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("program-perpetual-version")).toHaveText("Version 1");
});

/** The page background as sRGB, whatever colour space the browser reports it in. */
async function backgroundRgb(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = getComputedStyle(document.body).backgroundColor;
    ctx.fillRect(0, 0, 1, 1);
    return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
  });
}

test("dark mode follows the system", async ({ page }) => {
  const me = await signUp(page);
  const referral = await op.createAccount({ kind: "user", referrer: me });
  await op.usage(referral, 4000);
  await op.usage(me, 2000);
  await page.reload();
  await page.emulateMedia({ colorScheme: "light" });
  expect(await backgroundRgb(page)).toEqual([255, 255, 255]);
  await page.emulateMedia({ colorScheme: "dark" });
  for (const channel of await backgroundRgb(page)) expect(channel).toBeLessThan(20);
  await screenshotAtWidths(page, "dashboard-user-dark");
  await page.goto("/dashboard/earnings");
  await screenshotAtWidths(page, "dashboard-earnings-dark");
});
