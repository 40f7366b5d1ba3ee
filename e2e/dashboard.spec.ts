import { expect, test, type Page } from "@playwright/test";
import { formatCount, formatPoints } from "@/components/ui/format";
import { baseUrl, operatorForFile, signUp, type Operator } from "./dashboard-support";
import { screenshotAtWidths } from "./screenshot";

const op = operatorForFile();

/** The figures on the page are the API's figures, formatted for people. */
async function expectFiguresMatch(page: Page, stats: Awaited<ReturnType<Operator["stats"]>>) {
  const testIds: [string, string][] = [
    ["network-direct", formatCount(stats.network.direct)],
    ["network-secondary", formatCount(stats.network.secondary)],
    ["network-tertiary", formatCount(stats.network.tertiary)],
    ["network-total", formatCount(stats.network.total)],
    ["earnings-total", formatPoints(stats.earnings.total)],
    ["earnings-base", formatPoints(stats.earnings.base)],
    ["earnings-bonus", formatPoints(stats.earnings.directBonus)],
    ["earnings-level1", formatPoints(stats.earnings.level1)],
    ["earnings-level2", formatPoints(stats.earnings.level2)],
    ["earnings-level3", formatPoints(stats.earnings.level3)],
    ["earnings-30d", formatPoints(stats.metrics.earnings30d)],
    ["active-referrals", formatCount(stats.metrics.activeReferrals30d)],
  ];
  for (const [id, text] of testIds) await expect(page.getByTestId(id), id).toHaveText(text);
}

test("a user sees their network and numbers as the API has them, live, and walks the tree", async ({
  page,
  context,
}) => {
  const me = await signUp(page);
  // me ─ a1 ─ b1 ─ c1 ─ d1 (level 4: earns me nothing)
  //    ├ a2
  //    └ 25 more direct referrals (the tree shows 20 per page)
  const a1 = await op.createAccount({ kind: "user", referrer: me });
  const a2 = await op.createAccount({ kind: "user", referrer: me });
  const b1 = await op.createAccount({ kind: "user", referrer: a1 });
  const c1 = await op.createAccount({ kind: "user", referrer: b1 });
  const d1 = await op.createAccount({ kind: "user", referrer: c1 });
  for (let i = 0; i < 25; i++) await op.createAccount({ kind: "user", referrer: me });
  for (const id of [a1, b1, c1, d1]) await op.usage(id, 1000);
  await op.usage(me, 500);

  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Your rewards" })).toBeVisible();
  const stats = await op.stats(me);
  // Checked by hand as well as against the API: 27 direct bonuses of 25, shares 15% / 8% / 4% of 2 points,
  // and my own 1 + 500 × 0.001 points.
  expect(stats.network).toEqual({ direct: 27, secondary: 1, tertiary: 1, total: 29 });
  expect(stats.earnings).toEqual({
    base: 1.5,
    directBonus: 675,
    level1: 0.3,
    level2: 0.16,
    level3: 0.08,
    adjustments: 0,
    total: 677.04,
  });
  await expectFiguresMatch(page, stats);

  // New earnings appear within 5 s, without a reload.
  await op.usage(a2, 1000);
  await expect(page.getByTestId("earnings-level1")).toHaveText("0.6", { timeout: 5_500 });
  await expectFiguresMatch(page, await op.stats(me));

  // Referral code and share link, each with a working copy button.
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await expect(page.getByTestId("referral-code")).toHaveText(me);
  await expect(page.getByTestId("share-link")).toHaveText(`${baseUrl()}/r/${me}`);
  await page.getByRole("button", { name: "Copy share link" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseUrl()}/r/${me}`);
  await page.getByRole("button", { name: "Copy referral code" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(me);

  // The 30-day chart, and the same numbers as a table: today is the last row.
  await expect(
    page.getByTestId("history-chart").getByRole("application", { name: /Points earned per day/ }),
  ).toBeVisible();
  await page.getByRole("button", { name: "Table" }).click();
  const rows = page.getByTestId("history-table").locator("tbody tr");
  await expect(rows).toHaveCount(30);
  const latest = await op.stats(me);
  expect(latest.history.at(-1).total).toBe(latest.earnings.total);
  await expect(rows.last().locator("td").last()).toHaveText(formatPoints(latest.earnings.total));
  await page.getByRole("button", { name: "Chart" }).click();

  // The tree: 20 of 27 direct referrals, then the rest on demand.
  const level1 = page.getByTestId("tree-level-1").locator(":scope > li");
  await expect(level1).toHaveCount(20);
  await page.getByRole("button", { name: "Show 7 more of 7" }).click();
  await expect(level1).toHaveCount(27);
  const a1Node = page.locator(`[data-testid="tree-node"][data-account="${a1}"]`);
  await expect(a1Node.getByTestId("node-earned").first()).toHaveText("0.3");
  await expect(a1Node.getByTestId("node-branch-earned").first()).toHaveText("0.54");
  await expect(a1Node.getByTestId("node-branch-size").first()).toHaveText("2");

  // Opened with the keyboard: level 2, then level 3, where the tree stops.
  const openA1 = a1Node.locator(":scope > div:first-child button[aria-expanded]");
  await expect(openA1).toHaveAccessibleName(`Show 1 referrals of ${a1}`);
  await expect(openA1).toHaveAttribute("aria-expanded", "false");
  await openA1.focus();
  await page.keyboard.press("Enter");
  await expect(openA1).toHaveAttribute("aria-expanded", "true");
  await expect(openA1).toHaveAccessibleName(`Hide 1 referrals of ${a1}`);
  const b1Node = page.locator(`[data-testid="tree-node"][data-account="${b1}"]`);
  await expect(b1Node.getByTestId("node-earned").first()).toHaveText("0.16");
  await b1Node.getByRole("button", { name: `Show 1 referrals of ${b1}` }).click();
  const c1Node = page.locator(`[data-testid="tree-node"][data-account="${c1}"]`);
  await expect(c1Node.getByTestId("node-earned")).toHaveText("0.08");
  await expect(c1Node.getByRole("button")).toHaveCount(0);
  await expect(page.locator(`[data-account="${d1}"]`)).toHaveCount(0);

  await screenshotAtWidths(page, "dashboard-user");
});

test("entering a referral code: every refusal in words, then the form is gone for good", async ({ page }) => {
  const referrer = await op.createAccount({ kind: "user" });
  const provider = await op.createAccount({ kind: "provider" });
  const me = await signUp(page);
  const myReferral = await op.createAccount({ kind: "user", referrer: me });
  await page.reload();

  const code = page.getByRole("textbox", { name: "Referral code", exact: true });
  const apply = page.getByRole("button", { name: "Apply Referral" });
  const error = page.getByTestId("apply-error");
  const attempts: [string, string][] = [
    [me, "That is your own code."],
    ["usr_doesnotexist000000", "No account has that code. Check it and try again."],
    [provider, "Users can only use user codes; providers provider codes."],
    [myReferral, "That would make a loop: this account is already in your own network."],
  ];
  for (const [value, words] of attempts) {
    await code.fill(value);
    await apply.click();
    await expect(error).toHaveText(words);
    await expect(code).toHaveAttribute("aria-invalid", "true");
  }
  await screenshotAtWidths(page, "dashboard-apply-error");

  const before = await op.stats(referrer);
  await code.fill(referrer);
  await apply.click();
  await expect(page.getByTestId("referred-by")).toContainText(`You were referred by ${referrer}`);
  await expect(page.getByTestId("referred-by")).toBeFocused();
  await expect(page.getByRole("heading", { name: "Enter Referral Code" })).toHaveCount(0);
  expect((await op.stats(referrer)).earnings.directBonus).toBe(before.earnings.directBonus + 25);

  await page.reload();
  await expect(page.getByTestId("referred-by")).toContainText(referrer);
  await expect(page.getByRole("textbox", { name: "Referral code", exact: true })).toHaveCount(0);
});

test("a code set elsewhere while the form is open is refused in words", async ({ page }) => {
  const referrer = await op.createAccount({ kind: "user" });
  const me = await signUp(page);
  // The page's refreshes of its stats fail from here on (they would hide the form once the code is set), so
  // the form stays and the second application reaches the real server.
  await page.route("**/referral-stats", (route) => route.abort());
  const res = await op.api.post("/api/referrals/apply", { data: { code: referrer, accountId: me } });
  expect(res.status()).toBe(200);
  await page.getByRole("textbox", { name: "Referral code", exact: true }).fill(referrer);
  await page.getByRole("button", { name: "Apply Referral" }).click();
  await expect(page.getByTestId("apply-error")).toHaveText("You already have a referrer.");
});

test("a provider sees compute earnings and its provider network", async ({ page }) => {
  const me = await signUp(page, { kind: "provider" });
  await expect(page.getByRole("heading", { level: 1, name: "Provider rewards" })).toBeVisible();
  const referred = await op.createAccount({ kind: "provider", referrer: me });
  await op.compute(referred, { tokensGenerated: 10_000, requests: 20, uptimeSeconds: 3600 });
  await op.compute(me, { tokensGenerated: 5_000, requests: 10, uptimeSeconds: 1800 });

  await page.reload();
  await expect(page.getByText("Compute earnings", { exact: true })).toBeVisible();
  const stats = await op.stats(me, "provider");
  expect(stats.network.direct).toBe(1);
  expect(stats.earnings.directBonus).toBe(50);
  const referredStats = await op.stats(referred, "provider");
  // Level 1 of a provider network is 10% of the referral's compute earnings.
  expect(stats.earnings.level1).toBeCloseTo(referredStats.earnings.base * 0.1, 12);
  await expectFiguresMatch(page, stats);
  await expect(page.getByText("10% of their earnings")).toBeVisible();
  await expect(page.locator(`[data-testid="tree-node"][data-account="${referred}"]`)).toBeVisible();

  // A provider has no perpetual-earnings page, and the user dashboard sends it here.
  await expect(page.getByRole("link", { name: "Perpetual earnings" })).toHaveCount(0);
  await page.goto("/dashboard");
  await page.waitForURL("**/dashboard/provider");
  await screenshotAtWidths(page, "dashboard-provider");
});

test("a share link pre-fills the code at sign-up, for the right program", async ({ page }) => {
  const provider = await op.createAccount({ kind: "provider" });
  await page.goto(`/r/${provider}`);
  await expect(page.getByRole("heading", { level: 1, name: "You are invited" })).toBeVisible();
  await expect(page.getByTestId("landing-code")).toHaveText(provider);
  await screenshotAtWidths(page, "referral-landing");
  await page.getByRole("link", { name: "Sign up with this code" }).click();
  await page.waitForURL(`**/signin?ref=${provider}`);
  await expect(page.getByLabel("Referral code (optional)")).toHaveValue(provider);
  await expect(page.getByLabel("Provider (compute)")).toBeChecked();

  const me = await signUp(page, { kind: "provider", referrer: provider });
  expect((await op.stats(me, "provider")).referredBy).toBe(provider);

  await page.goto("/r/usr_nobodyhasthiscode00");
  await expect(page.getByRole("heading", { level: 1, name: "This invitation link is not valid" })).toBeVisible();
});

test("the dashboard does not move while it loads and refreshes", async ({ page }) => {
  await signUp(page);
  await page.evaluate(() => {
    (window as unknown as { cls: number }).cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!entry.hadRecentInput) (window as unknown as { cls: number }).cls += entry.value;
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  // Two polling rounds.
  await page.waitForTimeout(11_000);
  expect(await page.evaluate(() => (window as unknown as { cls: number }).cls)).toBeLessThan(0.01);
});

test("signed out, the dashboards send you to sign in and back", async ({ page }) => {
  await page.goto("/dashboard/earnings");
  await page.waitForURL("**/signin?callbackUrl=%2Fdashboard%2Fearnings");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});
