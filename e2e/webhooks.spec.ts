import { expect, test } from "@playwright/test";
import { startReceiver, type Receiver } from "@/lib/testing/webhooks";
import { operatorForFile, signInAsOperator } from "./dashboard-support";
import { screenshotAtWidths } from "./screenshot";

const op = operatorForFile();
let receiver: Receiver;

test.beforeAll(async () => {
  receiver = await startReceiver();
});
test.afterAll(() => receiver.close());

test("the operator registers an endpoint, sees its secret once, its deliveries, redelivers and deletes it", async ({
  page,
}) => {
  await signInAsOperator(page);
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();

  // A bad URL is refused in words, and nothing is added.
  await page.getByLabel("URL").fill("ftp://example.com/hooks");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByTestId("webhook-create-outcome")).toContainText("url: must be an absolute http or https URL");

  await page.getByLabel("URL").fill(receiver.url);
  await page.getByLabel("Description").fill("Finance");
  await page.getByLabel("Every event type").uncheck();
  await page.getByLabel("account.created").check();
  await page.getByLabel("referral.applied").check();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const secret = page.getByTestId("webhook-secret");
  await expect(secret).toHaveText(/^whsec_/);
  const shown = (await secret.textContent())!;
  receiver.useSecret(shown);
  await screenshotAtWidths(page, "admin-webhooks-secret");
  const endpoint = page.locator(`[data-testid="webhook-endpoint"][data-url="${receiver.url}"]`);
  await expect(endpoint).toBeVisible();

  // The secret is shown once: not after a reload, and the API lists no secrets.
  await page.reload();
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(shown);
  const listed = await op.api.get("/api/webhooks");
  expect(await listed.text()).not.toContain("whsec_");
  const { webhooks } = (await listed.json()) as { webhooks: { id: string; url: string }[] };
  const endpointId = webhooks.find((w) => w.url === receiver.url)!.id;

  // An account created through the API is delivered, signed with that secret.
  const referrer = await op.createAccount({ kind: "user" });
  const referred = await op.createAccount({ kind: "user", referrer });
  await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(3);
  expect(receiver.received.every((r) => r.payload !== null)).toBe(true);
  expect(receiver.received.map((r) => r.payload!.type).sort()).toEqual([
    "account.created",
    "account.created",
    "referral.applied",
  ]);
  expect(receiver.received.map((r) => r.payload!.data)).toContainEqual({ accountId: referred, referrerId: referrer });

  await expect
    .poll(
      async () => {
        await page.reload();
        return page.locator('[data-testid="delivery-status"]', { hasText: "Delivered" }).count();
      },
      { timeout: 10_000 },
    )
    .toBe(3);
  await screenshotAtWidths(page, "admin-webhooks-deliveries");

  // Redelivery sends the same event again, with the same webhook-id.
  const first = receiver.received[0]!;
  const row = page.locator(`[data-testid="delivery-row"][data-event="${first.id}"]`);
  await row.getByRole("button", { name: "Redeliver" }).click();
  await expect(page.getByText(`${first.id} will be sent again`)).toBeVisible();
  await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(4);
  expect(receiver.received[3]!.id).toBe(first.id);
  // The log shows the second attempt once the page is loaded again.
  await expect
    .poll(
      async () => {
        await page.getByRole("link", { name: "Refresh" }).click();
        return row.locator("td").nth(2).textContent();
      },
      { timeout: 10_000 },
    )
    .toBe("2");

  // Deleting asks first; cancelling keeps it.
  await page.getByRole("button", { name: `Delete the endpoint ${receiver.url}` }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this endpoint?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(endpoint).toBeVisible();
  await page.getByRole("button", { name: `Delete the endpoint ${receiver.url}` }).click();
  await dialog.getByRole("button", { name: "Delete endpoint" }).click();
  await expect(endpoint).toHaveCount(0);
  const audit = await (await op.api.get(`/api/audit-log?target=${endpointId}`)).json();
  const actions = audit.entries as { action: string; actor: string }[];
  expect(actions.map((e) => e.action)).toEqual(["webhook.deleted", "webhook.redelivered", "webhook.created"]);
  expect(actions.every((e) => e.actor.startsWith("console:"))).toBe(true);
});
