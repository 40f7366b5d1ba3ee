import { expect, test } from "@playwright/test";
import { formatUnits } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { formatUsd } from "@/components/ui/format";
import {
  ethBalance,
  operatorForFile,
  setBlacklisted,
  signInAsOperator,
  signUp,
  usdcBalance,
} from "./dashboard-support";
import { screenshotAtWidths } from "./screenshot";

// Anvil's account 1: the payout wallet the global setup configures.
const PAYOUT_ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

const op = operatorForFile({ KES: 0.0077, NGN: 0.00063 });

test("the operator signs in with its secret key; nothing else opens the page", async ({ page, context }) => {
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Operator sign-in" })).toBeVisible();
  await screenshotAtWidths(page, "admin-signin");

  for (const wrong of [process.env.E2E_PUBLISHABLE_KEY!, "sk_e2e_not-the-operators-key-0000000000"]) {
    await page.getByLabel("Secret API key").fill(wrong);
    await page.getByRole("button", { name: "Sign in as operator" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("That is not a live secret API key.");
  }

  // A signed-in end user is no operator.
  await signUp(page);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Operator sign-in" })).toBeVisible();

  await signInAsOperator(page);
  const cookie = (await context.cookies()).find((c) => c.name === "referral-engine.admin");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/admin" });
  expect(cookie!.value).not.toContain(process.env.E2E_SECRET_KEY!);
  expect(cookie!.expires - Date.now() / 1000).toBeLessThanOrEqual(3600);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Operator sign-in" })).toBeVisible();
  expect((await context.cookies()).some((c) => c.name === "referral-engine.admin")).toBe(false);
});

test("totals, rates with their age, the payout wallet, and a failed claim retried from the page", async ({ page }) => {
  // A referrer whose wallet cannot receive USDC: its claim fails and waits for the operator.
  const wallet = privateKeyToAccount(generatePrivateKey()).address;
  const referrer = await op.createAccount({ kind: "user", walletAddress: wallet });
  const referral = await op.createAccount({ kind: "user", referrer });
  await op.transactions(referral, [{ amount: 300_000, currency: "KES" }]);
  await setBlacklisted(wallet, true);
  const claim = await op.api.post("/api/referral-fees/claim", { headers: await op.as(referrer) });
  expect(await claim.json()).toMatchObject({ status: "FAILED", transactionHash: null });

  await signInAsOperator(page);

  // The payout wallet's balances, as the chain has them.
  await expect(page.getByTestId("payout-address")).toHaveText(PAYOUT_ADDRESS);
  const usdc = await usdcBalance(PAYOUT_ADDRESS);
  await expect(page.getByTestId("payout-usdc")).toHaveText(formatUsd(formatUnits(usdc, 6)));
  expect(await ethBalance(PAYOUT_ADDRESS)).toBeGreaterThan(0n);
  await expect(page.getByTestId("payout-eth")).not.toHaveText("Unknown");

  // Rates with their age; a currency never set is shown as such.
  const kes = page.locator('[data-testid="rate-row"][data-currency="KES"]');
  await expect(kes).toContainText("0.0077");
  await expect(kes).toContainText(/\d+ (s|min) ago/);
  await expect(kes).not.toContainText("stale");
  await expect(page.locator('[data-testid="rate-row"][data-currency="CDF"]')).toContainText("Never");

  const failedBefore = Number(await page.getByTestId("admin-failed").textContent());
  expect(failedBefore).toBeGreaterThanOrEqual(1);
  const row = page.locator(`[data-testid="attention-row"][data-account="${referrer}"]`);
  await expect(row).toContainText("Failed");
  await expect(row).toContainText("$6.93");
  await screenshotAtWidths(page, "admin");

  // Still blacklisted: the retry fails again, says so, and the newer failure replaces the row.
  await row.getByRole("button", { name: `Retry the failed claim of ${referrer}` }).click();
  await expect(page.getByTestId("retry-outcome")).toHaveText("New claim of $6.93 failed again.");
  await expect(row).toHaveCount(1);

  await setBlacklisted(wallet, false);
  await row.getByRole("button", { name: `Retry the failed claim of ${referrer}` }).click();
  await expect(page.getByTestId("retry-outcome")).toHaveText("New claim of $6.93 completed.");
  await expect(row).toHaveCount(0);
  expect(await usdcBalance(wallet)).toBe(6_930_000n);
  await expect(page.getByTestId("admin-failed")).toHaveText(String(failedBefore + 1));
});
