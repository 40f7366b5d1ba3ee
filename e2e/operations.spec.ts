import { expect, test, type Browser, type Page } from "@playwright/test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { linkNewWallet, operatorForFile, signUp } from "./dashboard-support";
import { screenshotAtWidths } from "./screenshot";

const op = operatorForFile({ KES: 0.0077, NGN: 0.00063 });

/** The operator's own browser: its console cookie, apart from the user's session. */
async function operatorPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/admin");
  await page.getByLabel("Secret API key").fill(process.env.E2E_SECRET_KEY!);
  await page.getByRole("button", { name: "Sign in as operator" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Operator overview" })).toBeVisible();
  return page;
}

const consoleActor = () => `console:${process.env.E2E_SECRET_KEY!.slice(0, 12)}`;

test("the operator finds an account, freezes and unfreezes it, and sees each action in the audit log; the user sees the freeze", async ({
  page,
  browser,
}) => {
  const me = await signUp(page);
  const wallet = (await linkNewWallet(page)).address;
  const referral = await op.createAccount({ kind: "user", referrer: me });
  await op.transactions(referral, [{ amount: 50_000, currency: "KES" }]);

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
  await page.reload();
  await expect(page.getByTestId("account-frozen")).toHaveCount(0);
  await expect(page.getByTestId("claim-button")).toBeEnabled();

  // Each action in the audit log, as the console session.
  await expect(admin.getByTestId("account-audit")).toContainText("account.unfrozen");
  await admin.getByRole("link", { name: "Audit log", exact: true }).click();
  await admin.getByLabel(/^Only about this id/).fill(me);
  await admin.getByRole("button", { name: "Filter" }).click();
  const rows = admin.getByTestId("audit-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("account.unfrozen");
  await expect(rows.nth(1)).toContainText("account.frozen");
  await expect(rows.nth(1)).toContainText("Chargebacks under review");
  for (const row of await rows.all()) await expect(row).toContainText(consoleActor());
  await screenshotAtWidths(admin, "admin-audit");
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
