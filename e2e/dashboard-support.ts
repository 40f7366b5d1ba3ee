/**
 * What the specs share: the operator's API (accounts, events, rates, tokens) and its sign-in to the console,
 * signing up through the real sign-in page, linking a wallet with a real SIWE signature, the test USDC's blacklist
 * on the local chain, and a page's CSP violations.
 */
import { randomBytes } from "node:crypto";
import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from "@playwright/test";
import { createPublicClient, createWalletClient, http, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { anvilChain, testUsdcAbi } from "../scripts/local-chain";
import { PASSWORD } from "./global-setup";

/** Anvil's account 0: deployed the test USDC and owns its blacklist (a published test key, worthless anywhere else). */
const TOKEN_OWNER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const CHAIN_ID = 31337;

export { PASSWORD };

export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the specs through playwright.config.ts (global setup)`);
  return value;
}

export function baseUrl(): string {
  return env("E2E_BASE_URL");
}

/**
 * The operator's backend (secret key on every request) for one spec file: opened before the file's tests, with
 * `rates` set when given, and closed after them. Call at the file's top level.
 */
export function operatorForFile(rates?: Record<string, number>): Operator {
  const op = new Operator();
  test.beforeAll(async () => {
    await op.open();
    if (rates) await op.setRates(rates);
  });
  test.afterAll(() => op.dispose());
  return op;
}

export class Operator {
  private context: APIRequestContext | undefined;

  get api(): APIRequestContext {
    if (!this.context) throw new Error("the operator's API is opened in beforeAll: use it inside a test");
    return this.context;
  }

  async open(): Promise<void> {
    this.context = await playwrightRequest.newContext({
      baseURL: baseUrl(),
      extraHTTPHeaders: { "x-api-key": env("E2E_SECRET_KEY") },
    });
  }

  async createAccount(body: { kind: "user" | "provider"; referrer?: string; walletAddress?: string }): Promise<string> {
    const res = await this.api.post("/api/accounts", { data: body });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()).id as string;
  }

  async usage(userId: string, tokens: number, endpoint = "/chat/completions"): Promise<void> {
    const res = await this.api.post("/api/events/usage", {
      data: { requestId: unique("req"), userId, endpoint, tokens },
    });
    expect(res.status(), await res.text()).toBe(200);
  }

  async compute(
    providerId: string,
    work: { tokensGenerated: number; requests: number; uptimeSeconds: number },
  ): Promise<void> {
    const res = await this.api.post("/api/events/compute", { data: { eventId: unique("cmp"), providerId, ...work } });
    expect(res.status(), await res.text()).toBe(200);
  }

  /** Records offramp transactions; returns their orderIds, in the order given. */
  async transactions(userId: string, items: { amount: number; currency: string }[]): Promise<string[]> {
    const events = items.map((t) => ({ orderId: unique("ord"), userId, type: "offramp", ...t }));
    const res = await this.api.post("/api/events/transactions", { data: { events } });
    expect(res.status(), await res.text()).toBe(200);
    return events.map((e) => e.orderId);
  }

  async setRates(rates: Record<string, number>): Promise<void> {
    const res = await this.api.put("/api/fx/rates", { data: { rates } });
    expect(res.status(), await res.text()).toBe(200);
  }

  async stats(accountId: string, kind: "user" | "provider" = "user") {
    const path =
      kind === "user" ? `/api/user/${accountId}/referral-stats` : `/api/providers/${accountId}/referral-stats`;
    const res = await this.api.get(path);
    expect(res.status()).toBe(200);
    return res.json();
  }

  /** Headers of a front end acting for the account: bearer token + publishable key. */
  async as(accountId: string): Promise<Record<string, string>> {
    const res = await this.api.post("/api/auth/token", { data: { accountId } });
    expect(res.status()).toBe(200);
    return { authorization: `Bearer ${(await res.json()).token}`, "x-api-key": env("E2E_PUBLISHABLE_KEY") };
  }

  async dispose(): Promise<void> {
    await this.context?.dispose();
  }
}

/** Fills and sends the sign-in page's "Create account" form, as a person would; what follows is the caller's to check. */
export async function submitSignUp(page: Page, email: string, password: string): Promise<void> {
  await page.getByRole("tab", { name: "Email" }).click();
  await page.getByRole("button", { name: "New here? Create an account" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** Signs up with email and password through the sign-in page and lands on the dashboard; returns the account id. */
export async function signUp(
  page: Page,
  options: { kind?: "user" | "provider"; referrer?: string } = {},
): Promise<string> {
  await page.goto(options.referrer ? `/signin?ref=${options.referrer}` : "/signin");
  if (options.kind === "provider") await page.getByLabel("Provider (compute)").check();
  await submitSignUp(page, `${unique("e2e")}@example.com`, PASSWORD);
  await page.waitForURL(options.kind === "provider" ? "**/dashboard/provider" : "**/dashboard");
  const me = await page.request.get("/api/user/me");
  expect(me.status()).toBe(200);
  return (await me.json()).id as string;
}

/** Signs in to the operator's console with the secret key, from `path` (any console page), onto the overview. */
export async function signInAsOperator(page: Page, path = "/admin"): Promise<void> {
  await page.goto(path);
  await page.getByLabel("Secret API key").fill(process.env.E2E_SECRET_KEY!);
  await page.getByRole("button", { name: "Sign in as operator" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Operator overview" })).toBeVisible();
}

/** The page's CSP violations from now on (Chromium reports each as a securitypolicyviolation event and a console error). */
export async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return violations;
}

/** Links a fresh wallet to the signed-in account with a real SIWE signature (PUT /api/user/me/wallet). */
export async function linkNewWallet(page: Page): Promise<PrivateKeyAccount> {
  const account = privateKeyToAccount(generatePrivateKey());
  const { nonce } = await (await page.request.get("/api/auth/siwe/nonce")).json();
  const url = new URL(baseUrl());
  const message = createSiweMessage({
    domain: url.host,
    address: account.address,
    uri: url.origin,
    version: "1",
    chainId: CHAIN_ID,
    nonce,
    issuedAt: new Date(),
  });
  const signature = await account.signMessage({ message });
  // A session's writes must come from the site itself, as the browser's own fetch would say in its Origin.
  const res = await page.request.put("/api/user/me/wallet", {
    headers: { origin: url.origin },
    data: { address: account.address, message, signature },
  });
  expect(res.status(), await res.text()).toBe(200);
  return account;
}

const chain = () => anvilChain(CHAIN_ID, env("E2E_RPC_URL"));

/** Puts an address on (or off) the test USDC's blacklist: transfers to it revert, so a claim to it fails. */
export async function setBlacklisted(address: string, listed: boolean): Promise<void> {
  const wallet = createWalletClient({
    chain: chain(),
    transport: http(env("E2E_RPC_URL")),
    account: privateKeyToAccount(TOKEN_OWNER_KEY),
  });
  const client = createPublicClient({ chain: chain(), transport: http(env("E2E_RPC_URL")), pollingInterval: 50 });
  const hash = await wallet.writeContract({
    address: env("E2E_USDC_ADDRESS") as Hex,
    abi: testUsdcAbi,
    functionName: listed ? "blacklist" : "unBlacklist",
    args: [address as Hex],
  });
  await client.waitForTransactionReceipt({ hash });
}

export async function usdcBalance(address: string): Promise<bigint> {
  const client = createPublicClient({ chain: chain(), transport: http(env("E2E_RPC_URL")) });
  return client.readContract({
    address: env("E2E_USDC_ADDRESS") as Hex,
    abi: testUsdcAbi,
    functionName: "balanceOf",
    args: [address as Hex],
  });
}

export async function ethBalance(address: string): Promise<bigint> {
  const client = createPublicClient({ chain: chain(), transport: http(env("E2E_RPC_URL")) });
  return client.getBalance({ address: address as Hex });
}
