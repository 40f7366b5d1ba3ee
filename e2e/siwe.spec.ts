import { expect, request as playwrightRequest, test } from "@playwright/test";
import { E2E_WALLET } from "./global-setup";
import { screenshotAtWidths } from "./screenshot";

test("a wallet signs in with SIWE and lands on the dashboard; its signed message cannot be replayed", async ({
  page,
  context,
  baseURL,
}) => {
  await page.goto("/signin");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await screenshotAtWidths(page, "signin");

  let signInForm: string | undefined;
  page.on("request", (req) => {
    if (req.method() === "POST" && req.url().includes("/api/auth/callback/siwe"))
      signInForm = req.postData() ?? undefined;
  });

  await page.getByRole("button", { name: /Sign in with Mock Connector/ }).click();
  await page.waitForURL("**/dashboard");
  await expect(page.getByTestId("account-id")).toHaveText(/^usr_/);

  const cookies = await context.cookies();
  expect(cookies.some((c) => c.name === "authjs.session-token" && c.httpOnly)).toBe(true);

  const me = await page.request.get("/api/user/me");
  expect(me.status()).toBe(200);
  expect((await me.json()).walletAddress).toBe(E2E_WALLET.toLowerCase());

  // The same message and signature, sent again from a fresh browser context with its own CSRF token: refused.
  expect(signInForm).toBeDefined();
  const stranger = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = await (await stranger.get("/api/auth/csrf")).json();
  const replay = new URLSearchParams(signInForm);
  replay.set("csrfToken", csrfToken);
  const replayed = await stranger.post("/api/auth/callback/siwe", {
    headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1" },
    data: replay.toString(),
  });
  const { url } = await replayed.json();
  expect(url).toContain("error=CredentialsSignin");
  expect((await stranger.storageState()).cookies.some((c) => c.name === "authjs.session-token")).toBe(false);
  await stranger.dispose();
});
