import { expect, test } from "@playwright/test";
import { formatLocal, formatUsd } from "@/components/ui/format";
import { E2E_WALLET } from "./global-setup";
import { linkNewWallet, operatorForFile, setBlacklisted, signUp, usdcBalance } from "./dashboard-support";
import { screenshotAtWidths } from "./screenshot";

const op = operatorForFile({ KES: 0.0077, NGN: 0.00063 });

test("link a wallet, see fees arrive live, claim, and see the balance drop to 0 and the countdown start", async ({
  page,
}) => {
  const me = await signUp(page);
  await page.goto("/dashboard/earnings");
  await expect(page.getByRole("heading", { level: 1, name: "Perpetual earnings" })).toBeVisible();
  await expect(page.getByTestId("balance-total")).toHaveText("$0.00");
  await expect(page.getByTestId("entries-empty")).toBeVisible();
  await expect(page.getByTestId("claim-button")).toBeDisabled();

  // An email account links its wallet with a signature (wagmi's mock connector signs with anvil's account 2).
  await page.getByRole("button", { name: "Link wallet with Mock Connector" }).click();
  await expect(page.getByTestId("claim-wallet")).toHaveText(E2E_WALLET.toLowerCase());

  // A referral transacts: 0.3% of each amount, in its currency, shows up within 5 s without a reload.
  const referral = await op.createAccount({ kind: "user", referrer: me });
  await op.transactions(referral, [
    { amount: 100_000, currency: "KES" },
    { amount: 50_000, currency: "KES" },
    { amount: 20_000, currency: "KES" },
    { amount: 1_000_000, currency: "NGN" },
  ]);
  // 510 KES × 0.0077 + 3,000 NGN × 0.00063 = 3.927 + 1.89
  await expect(page.getByTestId("balance-total")).toHaveText("$5.817", { timeout: 5_500 });

  // 101 more small ones: the entries list pages (100 at a time).
  await op.transactions(
    referral,
    Array.from({ length: 101 }, () => ({ amount: 1_000, currency: "KES" })),
  );
  const balance = await (await page.request.get("/api/referral-fees/balance")).json();
  expect(balance).toMatchObject({ totalUsd: 8.1501, entryCount: 105, canClaim: true, nextClaimDate: null });
  await expect(page.getByTestId("balance-total")).toHaveText(formatUsd(balance.totalUsd), { timeout: 5_500 });
  const breakdown = page.getByTestId("currency-breakdown");
  await expect(breakdown.getByRole("row", { name: /KES/ })).toContainText("813.00");
  await expect(breakdown.getByRole("row", { name: /KES/ })).toContainText("$6.2601");
  await expect(breakdown.getByRole("row", { name: /NGN/ })).toContainText("3,000.00");
  await expect(breakdown.getByRole("row", { name: /NGN/ })).toContainText("$1.89");

  const rows = page.getByTestId("entry-row");
  await expect(rows).toHaveCount(100);
  await page.getByTestId("entries-more").click();
  await expect(rows).toHaveCount(105);
  await expect(page.getByTestId("entries-more")).toHaveCount(0);
  // Newest first, exactly as the API lists them.
  const { entries } = await (await page.request.get("/api/referral-fees/entries?limit=1000")).json();
  expect(entries).toHaveLength(105);
  const shown = await rows.locator("td:nth-child(2)").allTextContents();
  expect(shown).toEqual(
    entries.map((e: { amountLocal: number; currency: string }) => `${formatLocal(e.amountLocal)} ${e.currency}`),
  );
  await expect(rows.first()).toContainText("3.00 KES");
  await screenshotAtWidths(page, "dashboard-earnings");

  // Claim, with a confirmation first.
  const before = await usdcBalance(E2E_WALLET);
  await page.getByTestId("claim-button").click();
  const dialog = page.getByRole("dialog", { name: "Claim $8.1501 in USDC?" });
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.getByTestId("claim-button").click();
  await dialog.getByRole("button", { name: "Confirm claim" }).click();

  await expect(page.getByTestId("claim-result")).toContainText("Sent $8.1501 USDC to your wallet.");
  // On the local chain there is no explorer: the hash is shown as it is.
  const hash = await page.getByTestId("claim-result").getByTestId("tx-hash").textContent();
  expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
  expect((await usdcBalance(E2E_WALLET)) - before).toBe(8_150_100n);

  // Every figure refreshed at once: nothing left to claim, the wait until next week counting down.
  await expect(page.getByTestId("balance-total")).toHaveText("$0.00");
  await expect(page.getByTestId("entries-empty")).toBeVisible();
  await expect(page.getByTestId("claim-button")).toBeDisabled();
  await expect(page.getByTestId("claim-countdown")).toHaveText(/^6 d 23 h 59 m \d+ s$/);
  const first = await page.getByTestId("claim-countdown").textContent();
  await expect(page.getByTestId("claim-countdown")).not.toHaveText(first!, { timeout: 2_500 });
  const history = page.getByTestId("claim-row");
  await expect(history).toHaveCount(1);
  await expect(history.first().getByTestId("claim-status")).toHaveText("Completed");
  await expect(history.first()).toContainText("$8.1501");
  await expect(history.first().getByTestId("tx-hash")).toHaveAttribute("title", hash!);

  const after = await (await page.request.get("/api/referral-fees/balance")).json();
  expect(after).toMatchObject({ totalUsd: 0, entryCount: 0, canClaim: false });
  expect(new Date(after.nextClaimDate).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
  await screenshotAtWidths(page, "dashboard-earnings-cooldown");
});

test("a failed claim is shown as failed, its fees stay, and a retry pays once the cause is gone", async ({ page }) => {
  const me = await signUp(page);
  const wallet = await linkNewWallet(page);
  const referral = await op.createAccount({ kind: "user", referrer: me });
  await op.transactions(referral, [{ amount: 200_000, currency: "KES" }]);
  // Transfers to a blacklisted address revert: the claim fails and sends nothing.
  await setBlacklisted(wallet.address, true);

  await page.goto("/dashboard/earnings");
  await expect(page.getByTestId("balance-total")).toHaveText("$4.62");
  await page.getByTestId("claim-button").click();
  await page.getByRole("button", { name: "Confirm claim" }).click();
  await expect(page.getByTestId("claim-result")).toContainText(
    "The transfer failed and nothing was sent. Your fees are still claimable.",
  );
  await expect(page.getByTestId("claim-row").first().getByTestId("claim-status")).toHaveText("Failed");
  await expect(page.getByTestId("balance-total")).toHaveText("$4.62");
  await expect(page.getByTestId("claim-button")).toBeEnabled();
  expect(await usdcBalance(wallet.address)).toBe(0n);
  await screenshotAtWidths(page, "dashboard-earnings-failed");

  await setBlacklisted(wallet.address, false);
  await page.getByTestId("claim-retry").click();
  await expect(page.getByTestId("claim-result")).toContainText("Sent $4.62 USDC to your wallet.");
  await expect(page.getByTestId("balance-total")).toHaveText("$0.00");
  await expect(page.getByTestId("claim-countdown")).toBeVisible();
  const statuses = page.getByTestId("claim-row").getByTestId("claim-status");
  await expect(statuses).toHaveText(["Completed", "Failed"]);
  expect(await usdcBalance(wallet.address)).toBe(4_620_000n);
});

test("a claim refused by the server says why in words and records nothing", async ({ page }) => {
  const me = await signUp(page);
  await page.goto("/dashboard/earnings");
  // No wallet linked: the button waits for one and says so.
  await expect(page.getByTestId("claim-why")).toHaveText("Link a wallet below to claim.");
  await screenshotAtWidths(page, "dashboard-earnings-no-wallet");

  await linkNewWallet(page);
  const referral = await op.createAccount({ kind: "user", referrer: me });
  await op.transactions(referral, [{ amount: 10_000, currency: "KES" }]);
  // This page's balance refreshes fail from its first render on (a refresh already on its way when the route was
  // set later could still bring the claim below in), so it keeps offering the claim its server render showed.
  await page.route("**/api/referral-fees/balance", (route) => route.abort());
  await page.reload();
  await expect(page.getByTestId("balance-total")).toHaveText("$0.231");
  await expect(page.getByTestId("claim-button")).toBeEnabled();

  // Claimed from another front end while this page is open: the server's refusal (the weekly cooldown) is what the
  // user sees.
  const elsewhere = await op.api.post("/api/referral-fees/claim", { headers: await op.as(me) });
  expect((await elsewhere.json()).status).toBe("COMPLETED");
  await op.transactions(referral, [{ amount: 10_000, currency: "KES" }]);

  await page.getByTestId("claim-button").click();
  await page.getByRole("button", { name: "Confirm claim" }).click();
  await expect(page.getByTestId("claim-result")).toContainText(
    /^Claims are allowed once per week\. Your next claim is available .+ GMT\.$/,
  );
  const claims = await (await page.request.get("/api/referral-fees/claims")).json();
  expect(claims.claims).toHaveLength(1);
});
