import { expect, test, type Browser, type Page } from "@playwright/test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { linkNewWallet, operatorForFile, signInAsOperator, signUp } from "./dashboard-support";
import { screenshotAtWidths } from "./screenshot";

const op = operatorForFile({ KES: 0.0077, NGN: 0.00063 });

/** The operator's own browser: its console cookie, apart from the user's session. */
async function operatorPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAsOperator(page);
  return page;
}

const consoleActor = () => `console:${process.env.E2E_SECRET_KEY!.slice(0, 12)}`;

test("the operator finds an account, reverses a claimed and an unclaimed fee, adjusts, freezes and unfreezes, and sees each action in the audit log; the user sees the clawback and the freeze", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const me = await signUp(page);
  const wallet = (await linkNewWallet(page)).address;
  const referral = await op.createAccount({ kind: "user", referrer: me });
  const charged = (await op.transactions(referral, [{ amount: 50_000, currency: "KES" }]))[0]!;
  // Its 150 KES fee is claimed and paid before the chargeback comes in.
  const claimed = await op.api.post("/api/referral-fees/claim", { headers: await op.as(me) });
  expect(claimed.status(), await claimed.text()).toBe(200);
  expect(await claimed.json()).toMatchObject({ status: "COMPLETED", amountUsd: 1.155 });
  const [refunded, kept] = (await op.transactions(referral, [
    { amount: 20_000, currency: "KES" },
    { amount: 100_000, currency: "KES" },
  ])) as [string, string];

  const admin = await operatorPage(browser);
  await admin.getByRole("link", { name: "Accounts" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Accounts" })).toBeVisible();
  // A wallet finds its account whatever its case.
  await admin.getByLabel("Id, external id, email or wallet").fill(wallet);
  await admin.getByRole("button", { name: "Search" }).click();
  const results = admin.getByTestId("account-results");
  await expect(results).toContainText(me);
  await expect(results).toContainText("wallet");
  await screenshotAtWidths(admin, "admin-accounts-search");
  await results.getByRole("link", { name: me }).click();

  await expect(admin.getByTestId("account-heading")).toHaveText(me);
  await expect(admin.getByTestId("network-direct")).toHaveText("1");
  await expect(admin.getByTestId("fee-entries-table")).toContainText("150.00 KES");

  // The referral's transactions, each with what reversing it does to the referrer's fee.
  await admin.getByTestId("account-referrals").getByRole("link").click();
  await expect(admin.getByTestId("account-heading")).toHaveText(referral);
  // A second tab on the same page, to reverse again once the first tab has.
  const stale = await admin.context().newPage();
  await stale.goto(admin.url());
  const row = (tab: Page, orderId: string) => tab.locator(`[data-testid=transaction-row][data-order="${orderId}"]`);
  const reverseDialog = (tab: Page) => tab.getByRole("dialog", { name: "Reverse this transaction?" });

  await row(admin, charged).getByRole("button", { name: "Reverse" }).click();
  await expect(reverseDialog(admin).getByTestId("reverse-change")).toHaveText(
    `Claw back 150.00 KES from ${me}: their next claim is reduced by it.`,
  );
  await reverseDialog(admin)
    .getByLabel(/^Reason/)
    .fill("Chargeback");
  await screenshotAtWidths(admin, "admin-reverse-confirm");
  await reverseDialog(admin).getByRole("button", { name: "Reverse" }).click();
  await expect(row(admin, charged).getByTestId("transaction-reversed")).toContainText("fee clawed back");

  await row(admin, refunded).getByRole("button", { name: "Reverse" }).click();
  await expect(reverseDialog(admin).getByTestId("reverse-change")).toHaveText(
    `Void the unclaimed fee of 60.00 KES owed to ${me}.`,
  );
  await reverseDialog(admin).getByRole("button", { name: "Reverse" }).click();
  await expect(row(admin, refunded).getByTestId("transaction-reversed")).toContainText("fee voided");
  await expect(row(admin, kept).getByRole("button", { name: "Reverse" })).toBeVisible();
  await screenshotAtWidths(admin, "admin-account-reversed");

  // The stale tab's form was drawn with its own reversalId: the registry's code says it was reversed already.
  await row(stale, charged).getByRole("button", { name: "Reverse" }).click();
  await reverseDialog(stale).getByRole("button", { name: "Reverse" }).click();
  await expect(row(stale, charged).getByTestId("reverse-form-outcome")).toHaveAttribute(
    "data-code",
    "already_reversed",
  );
  await stale.close();

  // Adjust the referrer: a reason the API refuses first (by its code), then a real one.
  await admin.goto(`/admin/accounts/${me}`);
  const adjustForm = admin.getByTestId("adjust-form");
  const adjustDialog = admin.getByRole("dialog", { name: "Make this adjustment?" });
  const fillAdjustment = async (reason: string) => {
    await adjustForm.getByLabel("Unit").selectOption("POINTS");
    await adjustForm.getByLabel(/^Amount/).fill("10");
    await adjustForm.getByLabel(/^Reason/).fill(reason);
    await adjustForm.getByRole("button", { name: "Adjust" }).click();
  };
  await fillAdjustment("   ");
  await adjustDialog.getByRole("button", { name: "Adjust" }).click();
  await expect(admin.getByTestId("adjust-form-outcome")).toHaveAttribute("data-code", "invalid_request");
  await expect(admin.getByTestId("account-adjustments")).toHaveCount(0);
  await fillAdjustment("Goodwill for the outage");
  await expect(adjustDialog.getByTestId("adjust-change")).toHaveText(
    `+10 POINTS to ${me}, reason “Goodwill for the outage”`,
  );
  await screenshotAtWidths(admin, "admin-adjust-confirm");
  await adjustDialog.getByRole("button", { name: "Adjust" }).click();
  await expect(admin.getByTestId("adjust-form-outcome")).toHaveText(`Adjusted: +10 POINTS to ${me}.`);
  await expect(admin.getByTestId("account-adjustments")).toContainText("+10 POINTS");
  await expect(admin.getByTestId("fee-entries-table").getByTestId("entry-row").first()).toContainText("clawback");

  // Freeze: the dialog says exactly what changes, with the reason given.
  await admin
    .getByTestId("freeze-form")
    .getByLabel(/^Reason/)
    .fill("Chargebacks under review");
  await admin.getByRole("button", { name: "Freeze claims" }).click();
  const dialog = admin.getByRole("dialog", { name: "Freeze this account's claims?" });
  await expect(dialog).toContainText("will keep earning, but every claim will be refused");
  await expect(dialog).toContainText("Chargebacks under review");
  await screenshotAtWidths(admin, "admin-freeze-confirm");
  await dialog.getByRole("button", { name: "Freeze" }).click();
  // The page shows the account as it is now: frozen, with the reason, and Unfreeze in place of Freeze.
  await expect(admin.getByTestId("account-frozen-banner")).toContainText("Chargebacks under review");
  await expect(admin.getByTestId("unfreeze-form")).toBeVisible();
  await screenshotAtWidths(admin, "admin-account-frozen");

  // The user: the dashboards say so plainly, and a claim is refused with nothing recorded.
  await page.goto("/dashboard/earnings");
  await expect(page.getByTestId("account-frozen")).toBeVisible();
  await expect(page.getByTestId("frozen-notice")).toContainText("Claims are paused on your account");
  await expect(page.getByTestId("claim-button")).toHaveCount(0);
  await screenshotAtWidths(page, "dashboard-earnings-frozen");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshotAtWidths(page, "dashboard-earnings-frozen-dark");
  await page.emulateMedia({ colorScheme: "light" });
  const refused = await op.api.post("/api/referral-fees/claim", { headers: await op.as(me) });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ error: "Account frozen" });
  expect((await (await page.request.get("/api/user/me")).json()).frozen).toBe(true);

  // Unfreeze, confirmed.
  await admin.getByRole("button", { name: "Unfreeze" }).click();
  const thaw = admin.getByRole("dialog", { name: "Unfreeze this account?" });
  await expect(thaw).toContainText("will be able to claim its fees again");
  await thaw.getByRole("button", { name: "Unfreeze" }).click();
  await expect(admin.getByTestId("freeze-form")).toBeVisible();
  await expect(admin.getByTestId("account-frozen-banner")).toHaveCount(0);
  await screenshotAtWidths(admin, "admin-account-after");

  // The user's earnings: the clawback nets against the fee kept, 300 − 150 KES = 150 KES at 0.0077 = $1.155; the
  // voided 60 KES fee is gone. Claimed a moment ago, so the weekly wait, not the freeze, holds the claim now.
  await page.reload();
  await expect(page.getByTestId("account-frozen")).toHaveCount(0);
  await expect(page.getByTestId("balance-total")).toHaveText("$1.155");
  const entries = page.getByTestId("entry-row");
  await expect(entries).toHaveCount(2);
  await expect(entries.filter({ hasText: "clawback" })).toContainText("-150.00 KES");
  await expect(entries.filter({ hasText: "300.00 KES" })).toHaveCount(1);
  await expect(page.getByTestId("claim-why")).toContainText("once per week");
  await screenshotAtWidths(page, "dashboard-earnings-clawback");

  // Each action in the audit log, as the console session: the account's own, and each reversal under its order.
  await expect(admin.getByTestId("account-audit")).toContainText("account.unfrozen");
  await admin.getByRole("link", { name: "Audit log", exact: true }).click();
  const rows = admin.getByTestId("audit-row");
  const filter = async (target: string) => {
    await admin.getByLabel(/^Only about this id/).fill(target);
    await admin.getByRole("button", { name: "Filter" }).click();
    await admin.waitForURL((url) => url.searchParams.get("target") === target);
  };
  await filter(me);
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText("account.unfrozen");
  await expect(rows.nth(1)).toContainText("account.frozen");
  await expect(rows.nth(1)).toContainText("Chargebacks under review");
  await expect(rows.nth(2)).toContainText("adjustment.created");
  await expect(rows.nth(2)).toContainText("Goodwill for the outage");
  for (const entry of await rows.all()) await expect(entry).toContainText(consoleActor());
  await screenshotAtWidths(admin, "admin-audit");
  await filter(charged);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("reversal.created");
  await expect(rows.first()).toContainText("Chargeback");
  await expect(rows.first()).toContainText('"amount":"-150"');
  await expect(rows.first()).toContainText(consoleActor());
  await filter(refunded);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('"amount":"-60"');
  await expect(rows.first()).toContainText(consoleActor());
});

test("the review queue shows a wallet moved between accounts, and the operator resolves it", async ({ browser }) => {
  const wallet = privateKeyToAccount(generatePrivateKey()).address.toLowerCase();
  const first = await op.createAccount({ kind: "user", walletAddress: wallet });
  const replaced = await op.api.put(`/api/accounts/${first}/wallet`, {
    data: { address: privateKeyToAccount(generatePrivateKey()).address },
  });
  expect(replaced.status()).toBe(200);
  const second = await op.createAccount({ kind: "user", walletAddress: wallet, referrer: first });

  const admin = await operatorPage(browser);
  await admin.getByRole("link", { name: "Review queue" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Review queue" })).toBeVisible();
  const reused = admin.locator(`[data-testid=signal][data-kind=wallet_reused][data-account=${second}]`);
  const matches = admin.locator(`[data-testid=signal][data-kind=wallet_matches_referrer][data-account=${first}]`);
  await expect(reused).toContainText(wallet);
  await expect(matches).toContainText(second);
  await screenshotAtWidths(admin, "admin-review");

  await reused.getByLabel("Note").fill("Same household; not abuse");
  await reused.getByRole("button", { name: "Resolve" }).click();
  const dialog = admin.getByRole("dialog", { name: "Resolve this signal?" });
  await expect(dialog).toContainText("Same household; not abuse");
  await dialog.getByRole("button", { name: "Resolve" }).click();
  await expect(reused).toHaveCount(0);

  await admin.getByRole("link", { name: "resolved" }).click();
  await expect(admin.locator(`[data-testid=signal][data-account=${second}]`)).toContainText(
    "Same household; not abuse",
  );
  await admin.getByRole("link", { name: "Audit log", exact: true }).click();
  await expect(admin.getByTestId("audit-row").first()).toContainText("signal.resolved");
});
