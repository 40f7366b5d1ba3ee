import { expect, test } from "@playwright/test";
import { operatorForFile, signInAsOperator, unique } from "./dashboard-support";
import { screenshotAtWidths } from "./screenshot";

const op = operatorForFile();

test("the operator changes the level-1 user share, sees the diff, confirms, and version 2 is in force", async ({
  page,
}) => {
  await signInAsOperator(page);
  await page.getByRole("navigation", { name: "Operator" }).getByRole("link", { name: "Programs" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Programs" })).toBeVisible();
  const rewards = page.getByRole("region", { name: "Rewards & Referrals", exact: true });
  await expect(page.getByTestId("program-rewards-version")).toHaveText("Version 1");
  await expect(page.getByTestId("program-perpetual-version")).toHaveText("Version 1");
  await expect(rewards.getByLabel("User level 1")).toHaveValue("15");
  await screenshotAtWidths(page, "admin-programs");

  // Refused before any confirmation: the server names the field.
  await rewards.getByLabel("User level 1").fill("101");
  await rewards.getByRole("button", { name: "Review changes" }).click();
  await expect(page.getByTestId("program-rewards-problem")).toContainText(
    "body.shares.user.0: must be between 0 and 100",
  );
  await expect(page.getByRole("dialog")).toBeHidden();

  await rewards.getByLabel("User level 1").fill("20");
  await rewards.getByRole("button", { name: "Review changes" }).click();
  const dialog = page.getByRole("dialog", { name: "Make version 2 of Rewards & Referrals?" });
  await expect(dialog).toBeVisible();
  const diff = dialog.getByTestId("program-diff").locator("tbody tr");
  await expect(diff).toHaveCount(1);
  await expect(diff.first()).toHaveText(/shares\.user\.0\s*from 15\s*to 20/);
  await screenshotAtWidths(page, "admin-programs-confirm");

  await dialog.getByRole("button", { name: "Confirm change" }).click();
  await expect(page.getByTestId("program-rewards-outcome")).toHaveText("Version 2 of the rewards program is in force.");
  await expect(page.getByTestId("program-rewards-version")).toHaveText("Version 2");
  const versions = page.getByTestId("program-rewards-versions").getByTestId("program-version");
  await expect(versions).toHaveCount(2);
  await expect(versions.first()).toContainText("Version 2");
  await expect(versions.first()).toContainText("shares.user.0");
  await expect(rewards.getByLabel("User level 1")).toHaveValue("20");
  await screenshotAtWidths(page, "admin-programs-version-2");

  // The API and the next event agree, and the console's change is audited as the console's.
  const programs = await (await op.api.get("/api/programs")).json();
  expect(programs.rewards).toMatchObject({ version: 2, shares: { user: [20, 8, 4] } });
  const referrer = await op.createAccount({ kind: "user" });
  const earner = await op.createAccount({ kind: "user", referrer });
  const res = await op.api.post("/api/events/usage", {
    data: { requestId: unique("req"), userId: earner, endpoint: "/chat/completions", tokens: 1000 },
  });
  expect((await res.json()).results[0].shares).toEqual([{ accountId: referrer, level: 1, points: 0.4 }]);
  const audit = await (await op.api.get("/api/audit-log?target=rewards")).json();
  expect(audit.entries[0]).toMatchObject({ action: "program.updated", actor: expect.stringMatching(/^console:/) });

  // Later specs expect the seed's shares.
  const restore = await op.api.put("/api/programs/rewards", { data: { shares: { user: [15, 8, 4] } } });
  expect(restore.status()).toBe(200);
});
