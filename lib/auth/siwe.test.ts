import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSiweMessage } from "viem/siwe";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startLocalChain, type LocalChain } from "@/scripts/local-chain";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/db";
import { issueNonce, verifySiwe } from "./siwe";
import { siteUrl } from "./site";

let chain: LocalChain;
let db: TestDatabase;
const site = new URL("https://rewards.example.test");
const host = site.host;
const signer = privateKeyToAccount(generatePrivateKey());

beforeAll(async () => {
  [chain, db] = await Promise.all([startLocalChain({ quiet: true }), createTestDatabase()]);
  process.env.PAYOUT_RPC_URL = chain.rpcUrl;
  process.env.PAYOUT_CHAIN_ID = String(chain.chainId);
});

afterAll(async () => {
  await Promise.all([chain?.stop(), db?.drop()]);
});

async function signedMessage(overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {}) {
  const message = createSiweMessage({
    domain: host,
    address: signer.address,
    uri: `https://${host}`,
    version: "1",
    chainId: chain.chainId,
    nonce: await issueNonce(db.prisma),
    issuedAt: new Date(),
    ...overrides,
  });
  return { message, signature: await signer.signMessage({ message }) };
}

describe("Sign-In with Ethereum", () => {
  it("accepts a proof signed for this host and chain, once", async () => {
    const proof = await signedMessage();
    expect(await verifySiwe(db.prisma, proof, site)).toBe(signer.address.toLowerCase());
    await expect(verifySiwe(db.prisma, proof, site)).rejects.toThrow(/nonce is unknown, expired or already used/);
  });

  it("refuses a nonce the server never issued", async () => {
    const proof = await signedMessage({ nonce: "a1b2c3d4e5f6a7b8c9d0" });
    await expect(verifySiwe(db.prisma, proof, site)).rejects.toThrow(/nonce/);
  });

  it("refuses another site's message", async () => {
    const proof = await signedMessage({ domain: "evil.example" });
    await expect(verifySiwe(db.prisma, proof, site)).rejects.toThrow(/evil\.example/);
  });

  it("refuses a message for this host whose URI is on another origin", async () => {
    const proof = await signedMessage({ uri: "https://evil.example/login" });
    await expect(verifySiwe(db.prisma, proof, site)).rejects.toThrow(/URI https:\/\/evil\.example\/login is not on/);
    const http = await signedMessage({ uri: `http://${host}` });
    await expect(verifySiwe(db.prisma, http, site)).rejects.toThrow(/is not on https:\/\/rewards\.example\.test/);
  });

  it("takes a loopback site's other loopback names as the same site, on the same port only", async () => {
    const local = new URL("http://127.0.0.1:3000");
    const viaLocalhost = await signedMessage({ domain: "localhost:3000", uri: "http://localhost:3000" });
    expect(await verifySiwe(db.prisma, viaLocalhost, local)).toBe(signer.address.toLowerCase());
    const otherPort = await signedMessage({ domain: "localhost:4000", uri: "http://localhost:4000" });
    await expect(verifySiwe(db.prisma, otherPort, local)).rejects.toThrow(/is for localhost:4000/);
    const notLoopback = await signedMessage({ domain: "evil.example:3000", uri: "http://evil.example:3000" });
    await expect(verifySiwe(db.prisma, notLoopback, local)).rejects.toThrow(/evil\.example/);
  });

  it("is off, with a clear 503, when the deployment's URL is not configured", async () => {
    const proof = await signedMessage();
    await expect(verifySiwe(db.prisma, proof, null)).rejects.toMatchObject({ code: "siwe_unavailable", status: 503 });
    expect(siteUrl({})).toBeNull();
    expect(siteUrl({ APP_URL: "https://app.example" })?.host).toBe("app.example");
    expect(siteUrl({ AUTH_URL: "https://auth.example", APP_URL: "https://app.example" })?.host).toBe("auth.example");
    expect(() => siteUrl({ AUTH_URL: "app.example" })).toThrow(/absolute URL/);
  });

  it("refuses an unknown nonce before asking the chain anything", async () => {
    const proof = await signedMessage({ nonce: "ffffffffffffffffffffffffffffffff" });
    const rpc = process.env.PAYOUT_RPC_URL;
    process.env.PAYOUT_RPC_URL = "http://127.0.0.1:9/";
    try {
      await expect(verifySiwe(db.prisma, proof, site)).rejects.toThrow(/nonce is unknown, expired or already used/);
    } finally {
      process.env.PAYOUT_RPC_URL = rpc;
    }
  });

  it("refuses another chain", async () => {
    const proof = await signedMessage({ chainId: 1 });
    await expect(verifySiwe(db.prisma, proof, site)).rejects.toThrow(/chain 1/);
  });

  it("refuses an expired message", async () => {
    const proof = await signedMessage({ expirationTime: new Date(Date.now() - 1000) });
    await expect(verifySiwe(db.prisma, proof, site)).rejects.toThrow(/expired/);
  });

  it("refuses a signature by someone else, without burning the nonce", async () => {
    const proof = await signedMessage();
    const impostor = privateKeyToAccount(generatePrivateKey());
    const forged = { message: proof.message, signature: await impostor.signMessage({ message: proof.message }) };
    await expect(verifySiwe(db.prisma, forged, site)).rejects.toThrow(/signature does not match/);
    expect(await verifySiwe(db.prisma, proof, site)).toBe(signer.address.toLowerCase());
  });

  it("refuses text that is not a SIWE message", async () => {
    await expect(verifySiwe(db.prisma, { message: "hello", signature: "0x00" }, site)).rejects.toThrow(/EIP-4361/);
  });
});
