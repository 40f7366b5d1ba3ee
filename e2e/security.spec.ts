/**
 * The account-takeover chain an outside review found, replayed over HTTP against the production build: a phishing
 * site gets the victim's wallet to sign a sign-in message for the phishing site, relays it with
 * `X-Forwarded-Host: <phishing site>`, and with the session it gets replaces the payout wallet by its own and
 * claims. Each step must fail on its own: the relayed sign-in, and the wallet replacement by a session that is
 * genuinely the victim's (stolen some other way). docs/security.md.
 */
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { createWalletClient, http, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { baseUrl, operatorForFile, usdcBalance } from "./dashboard-support";

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

  // Step 1: the phishing site's message, signed by the victim's wallet, relayed with the phishing host.
  const attacker = await playwrightRequest.newContext({ baseURL: site.origin });
  const phished = siweMessage(VICTIM_WALLET, PHISHING_HOST, `https://${PHISHING_HOST}`, await nonce(attacker));
  const gotSession = await signIn(attacker, phished, await victimSigns(phished), {
    "x-forwarded-host": PHISHING_HOST,
    "x-forwarded-proto": "https",
  });
  expect(gotSession).toBe(false);
  expect((await attacker.get("/api/user/me")).status()).toBe(401);

  // Step 2 on its own: even holding a genuine session of the victim, the attacker cannot move the payouts.
  const genuine = siweMessage(VICTIM_WALLET, site.host, site.origin, await nonce(attacker));
  expect(await signIn(attacker, genuine, await victimSigns(genuine))).toBe(true);
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
