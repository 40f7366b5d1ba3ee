/**
 * The account-takeover chain an outside review found, replayed over HTTP against the production build: a phishing
 * site gets the victim's wallet to sign a sign-in message for the phishing site, relays it with
 * `X-Forwarded-Host: <phishing site>`, and with the session it gets replaces the payout wallet by its own and
 * claims. Each step must fail on its own: the relayed sign-in, and the wallet replacement by a session that is
 * genuinely the victim's (stolen some other way). Then the other rules of docs/security.md, seen from outside:
 * security headers and a CSP that every page runs under without a violation, redirects after sign-in, the
 * password throttle, and sign-out ending the session on the server.
 */
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { createWalletClient, http, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import {
  baseUrl,
  linkNewWallet,
  operatorForFile,
  PASSWORD,
  signUp,
  submitSignUp,
  unique,
  usdcBalance,
  watchCsp,
} from "./dashboard-support";
import { screenshotAtWidths } from "./screenshot";

/** Anvil's unlocked account 5 plays the victim's wallet: the chain's node signs for it, as the victim's wallet would. */
const VICTIM_WALLET = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
const CHAIN_ID = 31337;
const PHISHING_HOST = "rewards-claim.example";

const op = operatorForFile({ KES: 0.0077 });

/** What the victim's wallet signs when a site asks: the node holds the key of an unlocked anvil account. */
async function victimSigns(message: string): Promise<Hex> {
  const wallet = createWalletClient({ transport: http(process.env.E2E_RPC_URL) });
  return wallet.signMessage({ account: VICTIM_WALLET, message });
}

async function nonce(api: APIRequestContext): Promise<string> {
  const res = await api.get("/api/auth/siwe/nonce");
  expect(res.status()).toBe(200);
  return (await res.json()).nonce as string;
}

function siweMessage(address: string, domain: string, origin: string, fresh: string): string {
  return createSiweMessage({
    domain,
    address: address as Hex,
    statement: "Sign in to the referral engine.",
    uri: origin,
    version: "1",
    chainId: CHAIN_ID,
    nonce: fresh,
    issuedAt: new Date(),
  });
}

/** Posts a signed message to next-auth's SIWE callback as a browser form would; true when a session came back. */
async function signIn(
  api: APIRequestContext,
  message: string,
  signature: string,
  headers: Record<string, string> = {},
): Promise<boolean> {
  const { csrfToken } = await (await api.get("/api/auth/csrf")).json();
  const res = await api.post("/api/auth/callback/siwe", {
    headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1", ...headers },
    data: new URLSearchParams({ message, signature, csrfToken, kind: "user" }).toString(),
  });
  expect(res.status()).toBe(200);
  return (await api.storageState()).cookies.some((c) => c.name === "authjs.session-token");
}

test("a phished signature takes over nothing: the relayed sign-in and the wallet replacement each fail", async () => {
  const site = new URL(baseUrl());
  const victimId = await op.createAccount({ kind: "user", walletAddress: VICTIM_WALLET });
  const referred = await op.createAccount({ kind: "user", referrer: victimId });
  await op.transactions(referred, [{ amount: 100000, currency: "KES" }]);
  const attackerWallet = privateKeyToAccount(generatePrivateKey());

  // Step 1: the phishing site's message, signed by the victim's wallet, relayed with the phishing host. The server
  // drops a client's X-Forwarded-* unless TRUST_PROXY=true; Host reaches the app as sent, so the app itself is
  // shown a phishing host.
  const attacker = await playwrightRequest.newContext({ baseURL: site.origin });
  const phishingHeaders = { host: PHISHING_HOST, "x-forwarded-host": PHISHING_HOST, "x-forwarded-proto": "https" };
  const phished = siweMessage(VICTIM_WALLET, PHISHING_HOST, `https://${PHISHING_HOST}`, await nonce(attacker));
  expect(await signIn(attacker, phished, await victimSigns(phished), phishingHeaders)).toBe(false);
  expect((await attacker.get("/api/user/me")).status()).toBe(401);

  // Step 2 on its own: even holding a genuine session of the victim (a message for this site; the same headers
  // neither help nor hinder), the attacker cannot move the payouts.
  const genuine = siweMessage(VICTIM_WALLET, site.host, site.origin, await nonce(attacker));
  expect(await signIn(attacker, genuine, await victimSigns(genuine), phishingHeaders)).toBe(true);
  const me = await attacker.get("/api/user/me");
  expect((await me.json()).id).toBe(victimId);
  const ownProof = siweMessage(attackerWallet.address, site.host, site.origin, await nonce(attacker));
  const replace = await attacker.put("/api/user/me/wallet", {
    headers: { origin: site.origin },
    data: {
      address: attackerWallet.address,
      message: ownProof,
      signature: await attackerWallet.signMessage({ message: ownProof }),
    },
  });
  expect(replace.status()).toBe(403);
  expect((await replace.json()).error).toBe("Current wallet must approve the change");
  expect((await (await attacker.get("/api/user/me")).json()).walletAddress).toBe(VICTIM_WALLET.toLowerCase());

  // The claim that session can still make pays the victim's own wallet, never the attacker's.
  const claim = await attacker.post("/api/referral-fees/claim", { headers: { origin: site.origin }, data: {} });
  expect(claim.status(), await claim.text()).toBe(200);
  expect((await claim.json()).status).toBe("COMPLETED");
  expect(await usdcBalance(attackerWallet.address)).toBe(0n);
  expect(await usdcBalance(VICTIM_WALLET)).toBe(2_310_000n);
  await attacker.dispose();
});

function expectSecurityHeaders(headers: Record<string, string>, what: string) {
  expect(headers["content-security-policy"], what).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
}

test("every page runs under its Content-Security-Policy without a violation, with the security headers", async ({
  page,
}) => {
  const violations = await watchCsp(page);
  const home = await page.goto("/");
  expectSecurityHeaders(home!.headers(), "/");
  const policy = home!.headers()["content-security-policy"]!;
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(policy).not.toContain("'unsafe-inline' 'nonce");
  const second = await page.request.get("/");
  expect(second.headers()["content-security-policy"]).not.toBe(policy);

  const userId = await signUp(page);
  await linkNewWallet(page);
  const referred = await op.createAccount({ kind: "user", referrer: userId });
  await op.usage(referred, 1000);
  await op.transactions(referred, [{ amount: 5000, currency: "KES" }]);
  for (const path of ["/dashboard", "/dashboard/earnings", `/r/${userId}`, "/signin", "/admin"]) {
    const res = await page.goto(path);
    expectSecurityHeaders(res!.headers(), path);
    await page.waitForLoadState("networkidle");
  }
  // The charts, the wallet buttons and the claim button are rendered by scripts: they ran.
  await page.goto("/dashboard");
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
  await page.goto("/dashboard/earnings");
  await expect(page.getByTestId("claim-button")).toBeEnabled();

  const api = await page.request.get("/api/health");
  expectSecurityHeaders(api.headers(), "/api/health");
  expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(violations).toEqual([]);
});

test("after sign-in only paths on this site are followed; anything else goes to the dashboard", async ({ page }) => {
  await signUp(page);
  // As an attacker writes them into a link: already URL-encoded.
  for (const callbackUrl of [
    "/%09/evil.example/phish",
    "//evil.example",
    "/%5Cevil.example",
    "https://evil.example/",
  ]) {
    await page.goto(`/signin?callbackUrl=${callbackUrl}`);
    expect(new URL(page.url()).origin, callbackUrl).toBe(new URL(baseUrl()).origin);
    expect(new URL(page.url()).pathname, callbackUrl).toBe("/dashboard");
  }
  await page.goto("/signin?callbackUrl=/dashboard/earnings");
  expect(new URL(page.url()).pathname).toBe("/dashboard/earnings");
  const broken = await page.request.get("/signin?callbackUrl=/%0a/evil.example", { maxRedirects: 0 });
  expect(broken.status()).toBeLessThan(500);
});

test("Auth.js's own sign-in endpoint follows only paths on this site too, on this site's origin", async ({ page }) => {
  const email = `${unique("redirect")}@example.com`;
  await page.goto("/signin");
  await submitSignUp(page, email, PASSWORD);
  await page.waitForURL("**/dashboard");
  const origin = new URL(baseUrl()).origin;
  const cases: [callbackUrl: string, path: string][] = [
    ["/dashboard/earnings", "/dashboard/earnings"],
    ["//evil.example", "/dashboard"],
    ["/\\evil.example", "/dashboard"],
    ["/\t/evil.example", "/dashboard"],
    ["https://evil.example/", "/dashboard"],
    ["evil.example", "/dashboard"],
  ];
  for (const [callbackUrl, path] of cases) {
    // As a form without JavaScript posts it: Auth.js answers with the redirect itself.
    const api = await playwrightRequest.newContext({ baseURL: baseUrl() });
    const { csrfToken } = await (await api.get("/api/auth/csrf")).json();
    const res = await api.post("/api/auth/callback/password", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      data: new URLSearchParams({ email, password: PASSWORD, csrfToken, callbackUrl }).toString(),
      maxRedirects: 0,
    });
    expect(res.status(), callbackUrl).toBe(302);
    const location = new URL(res.headers()["location"]!);
    expect(location.origin, callbackUrl).toBe(origin);
    expect(location.pathname, callbackUrl).toBe(path);
    await api.dispose();
  }
});

async function passwordSignIn(api: APIRequestContext, email: string, password: string): Promise<boolean> {
  const { csrfToken } = await (await api.get("/api/auth/csrf")).json();
  const res = await api.post("/api/auth/callback/password", {
    headers: { "content-type": "application/x-www-form-urlencoded", "x-auth-return-redirect": "1" },
    data: new URLSearchParams({ email, password, csrfToken }).toString(),
  });
  expect(res.status()).toBe(200);
  return (await api.storageState()).cookies.some((c) => c.name === "authjs.session-token");
}

test("ten failed passwords lock the email for 15 minutes, the right password included", async ({ page, browser }) => {
  const email = `${unique("locked")}@example.com`;
  await page.goto("/signin");
  await submitSignUp(page, email, PASSWORD);
  await page.waitForURL("**/dashboard");

  const api = await playwrightRequest.newContext({ baseURL: baseUrl() });
  for (let i = 0; i < 10; i++) expect(await passwordSignIn(api, email, `wrong password ${i}`)).toBe(false);
  expect(await passwordSignIn(api, email, PASSWORD)).toBe(false);
  await api.dispose();

  // The sign-in page says why, and until when.
  const fresh = await browser.newPage({ baseURL: baseUrl() });
  await fresh.goto("/signin");
  await fresh.getByRole("tab", { name: "Email" }).click();
  await fresh.getByLabel("Email").fill(email);
  await fresh.getByLabel("Password").fill(PASSWORD);
  await fresh.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(fresh.getByRole("main").getByRole("alert")).toContainText(
    /Too many failed sign-ins for this email\. Try again after \d\d:\d\d UTC/,
  );
  await fresh.close();
});

test("signing out ends the session on the server: its cookie is refused afterwards", async ({ page, context }) => {
  await signUp(page);
  const cookie = (await context.cookies()).find((c) => c.name === "authjs.session-token")!;
  const copy = await playwrightRequest.newContext({
    baseURL: baseUrl(),
    extraHTTPHeaders: { cookie: `${cookie.name}=${cookie.value}` },
  });
  expect((await copy.get("/api/user/me")).status()).toBe(200);

  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/signin");
  expect((await copy.get("/api/user/me")).status()).toBe(401);
  await copy.dispose();
});

test("the earnings page shows the claim hold after the operator replaced the wallet, with its end time", async ({
  page,
}) => {
  const userId = await signUp(page);
  await linkNewWallet(page);
  const referred = await op.createAccount({ kind: "user", referrer: userId });
  await op.transactions(referred, [{ amount: 20000, currency: "KES" }]);
  const replaced = await op.api.put(`/api/accounts/${userId}/wallet`, {
    data: { address: privateKeyToAccount(generatePrivateKey()).address },
  });
  expect(replaced.status(), await replaced.text()).toBe(200);

  await page.goto("/dashboard/earnings");
  const hold = page.getByTestId("wallet-hold");
  await expect(hold).toContainText("Your payout wallet was replaced recently");
  await expect(hold.locator("time").last()).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT/);
  await expect(page.getByTestId("claim-button")).toBeDisabled();
  await screenshotAtWidths(page, "earnings-wallet-hold");
});

test("sign-up with a taken email answers as a wrong password does; its owner is simply signed in", async ({
  browser,
}) => {
  const email = `${unique("taken")}@example.com`;
  const signUpAs = async (password: string) => {
    const page = await browser.newPage({ baseURL: baseUrl() });
    await page.goto("/signin");
    await submitSignUp(page, email, password);
    return page;
  };
  const owner = await signUpAs(PASSWORD);
  await owner.waitForURL("**/dashboard");
  const ownerId = (await (await owner.request.get("/api/user/me")).json()).id as string;
  await owner.close();

  const stranger = await signUpAs("another long password");
  await expect(stranger.getByRole("main").getByRole("alert")).toHaveText(
    "We could not sign you in with this email and password. If this email already has an account, sign in with its password.",
  );
  expect((await stranger.request.get("/api/user/me")).status()).toBe(401);
  await stranger.close();

  const again = await signUpAs(PASSWORD);
  await again.waitForURL("**/dashboard");
  expect((await (await again.request.get("/api/user/me")).json()).id).toBe(ownerId);
  await again.close();
});
