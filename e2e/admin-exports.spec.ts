/**
 * The console's exports: the operator, signed in with its console session (no key in the browser), filters by
 * account and day and downloads the ledger, the fee entries and the claims, each the API's file.
 */
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { operatorForFile, signInAsOperator } from "./dashboard-support";
import { screenshotAtWidths } from "./screenshot";

const op = operatorForFile({ KES: 0.0077 });

/** Clicks a download link and returns the file's records (CRLF-separated, the last one ended too). */
async function download(page: Page, name: string): Promise<{ filename: string; lines: string[] }> {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: `Download ${name}` }).click(),
  ]);
  const text = readFileSync((await file.path())!, "utf8");
  expect(text.endsWith("\r\n")).toBe(true);
  return { filename: file.suggestedFilename(), lines: text.slice(0, -2).split("\r\n") };
}

test("the operator downloads the ledger, the fee entries and the claims of one account and day", async ({ page }) => {
  const wallet = privateKeyToAccount(generatePrivateKey()).address;
  const referrer = await op.createAccount({ kind: "user", walletAddress: wallet });
  const referral = await op.createAccount({ kind: "user", referrer });
  await op.usage(referral, 1000);
  await op.transactions(referral, [{ amount: 100_000, currency: "KES" }]);
  const claimed = await op.api.post("/api/referral-fees/claim", { headers: await op.as(referrer) });
  const claim = (await claimed.json()) as { id: string; amountUsd: number; status: string };
  expect(claim.status).toBe("COMPLETED");

  await signInAsOperator(page, "/admin/exports");
  await page.getByRole("link", { name: "Exports" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Exports" })).toBeVisible();

  // A filter the API would refuse is refused here, in words, before any download.
  await page.getByLabel("Account", { exact: true }).fill("usr_nobodyhasthisid000");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("No account has the id usr_nobodyhasthisid000")).toBeVisible();
  await expect(page.getByRole("link", { name: /^Download/ })).toHaveCount(0);

  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel("From", { exact: true }).fill(today);
  await page.getByLabel("To", { exact: true }).fill(today);
  await page.getByLabel("Account", { exact: true }).fill(referrer);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("export-scope")).toHaveText(`Rows from ${today} to ${today} of ${referrer}.`);
  await screenshotAtWidths(page, "admin-exports");

  const ledger = await download(page, "ledger.csv");
  expect(ledger.filename).toMatch(/^ledger-\d{8}T\d{6}Z\.csv$/);
  expect(ledger.lines[0]).toBe("id,accountId,unit,amount,kind,level,sourceEvent,originAccountId,createdAt");
  const ledgerRows = ledger.lines.slice(1).map((line) => line.split(","));
  // The direct bonus for the referral's sign-up and the level-1 share of its 2 usage points (15 %).
  expect(ledgerRows.map(([, account, unit, amount, kind, level]) => [account, unit, amount, kind, level])).toEqual([
    [referrer, "POINTS", "25", "DIRECT_BONUS", "1"],
    [referrer, "POINTS", "0.3", "SHARE", "1"],
  ]);

  const fees = await download(page, "fee-entries.csv");
  expect(fees.lines[0]).toBe("id,referrerId,transactorUserId,orderId,currency,amountLocal,claimId,createdAt");
  expect(fees.lines).toHaveLength(2);
  const [, referrerId, transactor, , currency, amount, claimId] = fees.lines[1]!.split(",");
  expect([referrerId, transactor, currency, amount, claimId]).toEqual([referrer, referral, "KES", "300", claim.id]);

  const claims = await download(page, "claims.csv");
  expect(claims.lines[0]).toBe(
    "claimId,accountId,status,amountUsd,walletAddress,transactionHash,createdAt,completedAt,currency,amountLocal,usdRate,currencyAmountUsd,rateSource,rateUpdatedAt,entryCount",
  );
  expect(claims.lines).toHaveLength(2);
  const row = claims.lines[1]!.split(",");
  expect(row.slice(0, 4)).toEqual([claim.id, referrer, "COMPLETED", "2.31"]);
  expect(row.slice(8, 12)).toEqual(["KES", "300", "0.0077", "2.31"]);
  expect(row[14]).toBe("1");
});

test("the downloads need the console session; the API's files still need the secret key", async ({ page }) => {
  const res = await page.request.get("/admin/exports/ledger.csv", { maxRedirects: 0 });
  expect(res.status()).toBe(303);
  expect(res.headers()["location"]).toBe("/admin/exports");
  expect((await page.request.get("/api/exports/ledger.csv")).status()).toBe(403);

  await signInAsOperator(page, "/admin/exports");
  expect((await page.request.get("/admin/exports/ledger.csv?from=2026-13-01")).status()).toBe(400);
  expect((await page.request.get("/admin/exports/accounts.csv")).status()).toBe(404);
  const ok = await page.request.get("/admin/exports/claims.csv?to=2000-01-01");
  expect(ok.status()).toBe(200);
  expect(ok.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  // The console's session is for /admin only: it opens no API route.
  expect((await page.request.get("/api/exports/claims.csv")).status()).toBe(403);
});
