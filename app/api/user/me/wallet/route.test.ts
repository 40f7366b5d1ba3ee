import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { issueNonce } from "@/lib/auth/siwe";
import { createAccount } from "@/lib/referrals/accounts";
import { createTestAuth } from "@/lib/testing/auth";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/db";
import { call } from "@/lib/testing/http";
import { startLocalChain, type LocalChain } from "@/scripts/local-chain";
import { PUT } from "./route";

let db: TestDatabase;
let chain: LocalChain;
const auth = createTestAuth();
const host = "127.0.0.1:3000";
process.env.AUTH_URL = `http://${host}`;

beforeAll(async () => {
  [db, chain] = await Promise.all([createTestDatabase(), startLocalChain({ quiet: true })]);
  process.env.DATABASE_URL = db.url;
  process.env.PAYOUT_RPC_URL = chain.rpcUrl;
  process.env.PAYOUT_CHAIN_ID = String(chain.chainId);
});
afterAll(async () => {
  await Promise.all([db?.drop(), chain?.stop()]);
});

const putWallet = (headers: Record<string, string>, body: object) =>
  call(PUT, { method: "PUT", path: "/api/user/me/wallet", headers, body });

async function proof(signer = privateKeyToAccount(generatePrivateKey()), domain = host) {
  const message = createSiweMessage({
    domain,
    address: signer.address,
    uri: `http://${domain}`,
    version: "1",
    chainId: chain.chainId,
    nonce: await issueNonce(db.prisma),
  });
  return { address: signer.address, message, signature: await signer.signMessage({ message }) };
}

describe("PUT /api/user/me/wallet", () => {
  it("links the wallet that signed the SIWE message, stored lower case", async () => {
    const { account } = await createAccount(db.prisma, { kind: "user" });
    const body = await proof();
    const res = await putWallet(await auth.as(account.id), body);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ walletAddress: body.address.toLowerCase() });
    const row = await db.prisma.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(row.walletAddress).toBe(body.address.toLowerCase());
    expect(row.walletChangedAt).toBeNull();

    const replay = await putWallet(await auth.as(account.id), body);
    expect(replay.status).toBe(400);
    expect(replay.json.message).toMatch(/nonce/);
  });

  it("refuses a proof for another address, another site, or a wallet that is someone else's", async () => {
    const { account } = await createAccount(db.prisma, { kind: "user" });
    const headers = await auth.as(account.id);
    const mismatched = { ...(await proof()), address: privateKeyToAccount(generatePrivateKey()).address };
    expect((await putWallet(headers, mismatched)).status).toBe(400);
    const foreign = await putWallet(headers, await proof(undefined, "evil.example"));
    expect(foreign.status).toBe(400);

    const signer = privateKeyToAccount(generatePrivateKey());
    await createAccount(db.prisma, { kind: "user", walletAddress: signer.address });
    const taken = await putWallet(headers, await proof(signer));
    expect(taken.status).toBe(409);
    expect(taken.json.error).toBe("Wallet already linked");
  });

  it("ignores X-Forwarded-Host: a message for another site is refused whatever the headers say", async () => {
    const { account } = await createAccount(db.prisma, { kind: "user" });
    const res = await putWallet(
      { ...(await auth.as(account.id)), "x-forwarded-host": "evil.example", host: "evil.example" },
      await proof(undefined, "evil.example"),
    );
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("invalid_siwe");
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id: account.id } })).walletAddress).toBeNull();
  });

  it("replaces a linked wallet only with the linked wallet's approval, and starts the claim hold", async () => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const { account } = await createAccount(db.prisma, { kind: "user", walletAddress: owner.address });
    const headers = await auth.as(account.id);
    const attacker = privateKeyToAccount(generatePrivateKey());
    const stranger = privateKeyToAccount(generatePrivateKey());
    const put = (body: object) => putWallet(headers, body);
    const approval = async (signer = owner, domain = host) => {
      const { message, signature } = await proof(signer, domain);
      return { currentMessage: message, currentSignature: signature };
    };
    const refused = {
      error: "Current wallet must approve the change",
      code: "current_wallet_approval_required",
    };

    const bare = await put(await proof(attacker));
    expect(bare.status).toBe(403);
    expect(bare.json).toMatchObject(refused);
    const byStranger = await put({ ...(await proof(attacker)), ...(await approval(stranger)) });
    expect(byStranger.status).toBe(403);
    expect(byStranger.json).toMatchObject(refused);
    const forAnotherSite = await put({ ...(await proof(attacker)), ...(await approval(owner, "evil.example")) });
    expect(forAnotherSite.status).toBe(403);
    const replayed = await approval();
    expect((await put({ ...(await proof(attacker)), ...replayed })).status).toBe(200);
    let row = await db.prisma.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(row.walletAddress).toBe(attacker.address.toLowerCase());
    expect(row.walletChangedAt).not.toBeNull();

    // The approval is single-use like any proof, and the new current wallet is the one that must approve now.
    const again = await put({ ...(await proof(stranger)), ...replayed });
    expect(again.status).toBe(403);
    expect((await put({ ...(await proof(stranger)), ...(await approval(owner)) })).status).toBe(403);
    row = await db.prisma.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(row.walletAddress).toBe(attacker.address.toLowerCase());

    // Linking the wallet already linked needs no approval and starts no new hold.
    const same = await put(await proof(attacker));
    expect(same.status).toBe(200);
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id: account.id } })).walletChangedAt).toEqual(
      row.walletChangedAt,
    );
  });

  it("answers an empty, null or malformed approval as a missing one: 403, nothing changed", async () => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const { account } = await createAccount(db.prisma, { kind: "user", walletAddress: owner.address });
    const headers = await auth.as(account.id);
    const { message } = await proof(owner);
    for (const approval of [
      { currentMessage: "", currentSignature: "" },
      { currentMessage: null, currentSignature: null },
      { currentMessage: message, currentSignature: "" },
      { currentMessage: message, currentSignature: "not a signature" },
      { currentMessage: message, currentSignature: "0x1234" },
      { currentMessage: "not a sign-in message", currentSignature: "0x1234" },
    ]) {
      const res = await putWallet(headers, { ...(await proof()), ...approval });
      expect(res.status, JSON.stringify(approval)).toBe(403);
      expect(res.json.error).toBe("Current wallet must approve the change");
    }
    const row = await db.prisma.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(row.walletAddress).toBe(owner.address.toLowerCase());
    expect(row.walletChangedAt).toBeNull();
  });

  it("needs a signed-in account and a valid body", async () => {
    const body = await proof();
    expect((await putWallet({}, body)).status).toBe(401);
    expect((await putWallet(auth.operator, body)).status).toBe(403);
    const { account } = await createAccount(db.prisma, { kind: "user" });
    const bad = await putWallet(await auth.as(account.id), { ...body, address: "0x123" });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain("body.address");
  });
});
