import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createPublicClient,
  createWalletClient,
  http,
  parseEther,
  type Abi,
  type AbiParameter,
  type PublicClient,
  type WalletClient,
  type Account,
  type Chain,
  type Transport,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { anvilChain, compileTestUsdc, startLocalChain, testUsdcAbi, type LocalChain } from "./local-chain";

const USDC = 10n ** 6n;
const BLACKLIST_MESSAGE = "Blacklistable: account is blacklisted";

type Wallet = WalletClient<Transport, Chain, Account>;

// Names and internalType differ harmlessly between solc's ABI and the hand-written one; types and shape must not.
function shapes(abi: Abi): string[] {
  const types = (params: readonly AbiParameter[]) =>
    params.map((p) => `${p.type}${"indexed" in p && p.indexed ? " indexed" : ""}`).join(",");
  return abi
    .filter((item) => item.type === "function" || item.type === "event")
    .map((item) =>
      item.type === "function"
        ? `function ${item.name}(${types(item.inputs)}) ${item.stateMutability} returns (${types(item.outputs)})`
        : `event ${item.name}(${types(item.inputs)})`,
    )
    .sort();
}

/** `address`'s TestUSDC balance on `chain`. */
const usdcBalanceOn = (client: PublicClient, chain: LocalChain, address: `0x${string}`) =>
  client.readContract({ address: chain.usdcAddress, abi: testUsdcAbi, functionName: "balanceOf", args: [address] });

describe("local chain with TestUSDC", () => {
  let chain: LocalChain;
  let publicClient: PublicClient<Transport, Chain>;
  let owner: Wallet;
  let payout: Wallet;

  beforeAll(async () => {
    chain = await startLocalChain({ quiet: true });
    const viemChain = anvilChain(chain.chainId, chain.rpcUrl);
    const transport = http(chain.rpcUrl);
    publicClient = createPublicClient({ chain: viemChain, transport, pollingInterval: 50 });
    owner = createWalletClient({ chain: viemChain, transport, account: privateKeyToAccount(chain.ownerPrivateKey) });
    payout = createWalletClient({ chain: viemChain, transport, account: privateKeyToAccount(chain.payoutPrivateKey) });
  });

  afterAll(async () => {
    await chain?.stop();
  });

  const usdcBalance = (address: `0x${string}`) => usdcBalanceOn(publicClient, chain, address);

  async function send(wallet: Wallet, request: Parameters<Wallet["writeContract"]>[0]) {
    const hash = await wallet.writeContract(request);
    return publicClient.waitForTransactionReceipt({ hash });
  }

  it("starts anvil on the default chain id with the payout wallet derived from its key", async () => {
    expect(chain.chainId).toBe(31337);
    expect(await publicClient.getChainId()).toBe(31337);
    expect(chain.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(chain.payoutAddress).toBe(privateKeyToAccount(chain.payoutPrivateKey).address);
  });

  it("exports an ABI that matches the compiled contract", () => {
    expect(shapes(testUsdcAbi)).toEqual(shapes(compileTestUsdc().abi));
  });

  it("deploys a USDC-like token owned by account 0", async () => {
    const read = <F extends "name" | "symbol" | "decimals" | "owner">(functionName: F) =>
      publicClient.readContract({ address: chain.usdcAddress, abi: testUsdcAbi, functionName });
    expect(await read("decimals")).toBe(6);
    expect(await read("symbol")).toBe("USDC");
    expect(await read("name")).toBe("USD Coin");
    expect(await read("owner")).toBe(owner.account.address);
  });

  it("funds the payout wallet with 1,000,000 USDC and anvil's default ETH", async () => {
    expect(await usdcBalance(chain.payoutAddress)).toBe(1_000_000n * USDC);
    expect(
      await publicClient.readContract({ address: chain.usdcAddress, abi: testUsdcAbi, functionName: "totalSupply" }),
    ).toBe(1_000_000n * USDC);
    expect(await publicClient.getBalance({ address: chain.payoutAddress })).toBe(parseEther("10000"));
  });

  it("moves exactly the transferred amount, to the base unit", async () => {
    const recipient = privateKeyToAccount(generatePrivateKey()).address;
    const amount = 123_456_789n; // 123.456789 USDC: exercises every decimal place.
    const before = await usdcBalance(chain.payoutAddress);

    const receipt = await send(payout, {
      address: chain.usdcAddress,
      abi: testUsdcAbi,
      functionName: "transfer",
      args: [recipient, amount],
    });

    expect(receipt.status).toBe("success");
    expect(await usdcBalance(recipient)).toBe(amount);
    expect(await usdcBalance(chain.payoutAddress)).toBe(before - amount);
  });

  it("reverts transfers to a blacklisted address and allows them again after unBlacklist", async () => {
    const recipient = privateKeyToAccount(generatePrivateKey()).address;
    const amount = 5n * USDC;
    const transfer = {
      address: chain.usdcAddress,
      abi: testUsdcAbi,
      functionName: "transfer",
      args: [recipient, amount],
    } as const;

    const blacklisted = await send(owner, { ...transfer, functionName: "blacklist", args: [recipient] });
    expect(blacklisted.status).toBe("success");
    expect(await publicClient.readContract({ ...transfer, functionName: "isBlacklisted", args: [recipient] })).toBe(
      true,
    );

    await expect(publicClient.simulateContract({ ...transfer, account: payout.account })).rejects.toThrow(
      BLACKLIST_MESSAGE,
    );
    // An explicit gas limit skips estimation, which would refuse to send; the chain must still reject it.
    const before = await usdcBalance(chain.payoutAddress);
    const forced = await send(payout, { ...transfer, gas: 100_000n });
    expect(forced.status).toBe("reverted");
    expect(await usdcBalance(recipient)).toBe(0n);
    expect(await usdcBalance(chain.payoutAddress)).toBe(before);

    const unBlacklisted = await send(owner, { ...transfer, functionName: "unBlacklist", args: [recipient] });
    expect(unBlacklisted.status).toBe("success");
    const retried = await send(payout, transfer);
    expect(retried.status).toBe("success");
    expect(await usdcBalance(recipient)).toBe(amount);
    expect(await usdcBalance(chain.payoutAddress)).toBe(before - amount);
  });

  it("lets only the owner mint and blacklist", async () => {
    const stranger = { address: chain.usdcAddress, abi: testUsdcAbi, account: payout.account } as const;
    await expect(
      publicClient.simulateContract({ ...stranger, functionName: "mint", args: [chain.payoutAddress, USDC] }),
    ).rejects.toThrow("Ownable: caller is not the owner");
    await expect(
      publicClient.simulateContract({ ...stranger, functionName: "blacklist", args: [owner.account.address] }),
    ).rejects.toThrow("Ownable: caller is not the owner");
  });
});

describe("startLocalChain options and stop()", () => {
  it("honours chainId and fundUsdc, and stop() takes the node down", async () => {
    const chain = await startLocalChain({ chainId: 84532, fundUsdc: 250n * USDC, quiet: true });
    try {
      const client = createPublicClient({ transport: http(chain.rpcUrl, { retryCount: 0 }) });
      expect(await client.getChainId()).toBe(84532);
      expect(await usdcBalanceOn(client, chain, chain.payoutAddress)).toBe(250n * USDC);
    } finally {
      await chain.stop();
    }
    await expect(fetch(chain.rpcUrl, { method: "POST" })).rejects.toThrow();
    await chain.stop(); // idempotent
  });
});

describe("startLocalChain with a state file", () => {
  it("restarts with the same token, balances and past transactions, minting nothing twice", async () => {
    const stateFile = join(await mkdtemp(join(tmpdir(), "chain-state-")), "chain-state.json");
    const recipient = privateKeyToAccount(generatePrivateKey()).address;

    const first = await startLocalChain({ fundUsdc: 100n * USDC, quiet: true, stateFile });
    let paid: `0x${string}`;
    try {
      const wallet = createWalletClient({
        transport: http(first.rpcUrl),
        account: privateKeyToAccount(first.payoutPrivateKey),
      });
      const client = createPublicClient({ transport: http(first.rpcUrl), pollingInterval: 50 });
      paid = await wallet.writeContract({
        chain: null,
        address: first.usdcAddress,
        abi: testUsdcAbi,
        functionName: "transfer",
        args: [recipient, 7n * USDC],
      });
      expect((await client.waitForTransactionReceipt({ hash: paid })).status).toBe("success");
    } finally {
      await first.stop();
    }

    const second = await startLocalChain({ fundUsdc: 100n * USDC, quiet: true, stateFile });
    try {
      const client = createPublicClient({ transport: http(second.rpcUrl) });
      expect(second.usdcAddress).toBe(first.usdcAddress);
      expect((await client.getTransactionReceipt({ hash: paid })).status).toBe("success");
      expect(await usdcBalanceOn(client, second, recipient)).toBe(7n * USDC);
      expect(await usdcBalanceOn(client, second, second.payoutAddress)).toBe(93n * USDC);
    } finally {
      await second.stop();
    }
  });

  it("starts empty, and says so, when the state file cannot be read (a kill in the middle of a dump)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "chain-state-"));
    const stateFile = join(dir, "chain-state.json");
    await writeFile(stateFile, '{"block":{"number":"0x1"},"accounts":{"0x');
    const warnings: string[] = [];
    const warn = vi.spyOn(console, "warn").mockImplementation((line: string) => void warnings.push(line));
    const chain = await startLocalChain({ fundUsdc: 3n * USDC, quiet: true, stateFile }).finally(() =>
      warn.mockRestore(),
    );
    try {
      const client = createPublicClient({ transport: http(chain.rpcUrl) });
      expect(await usdcBalanceOn(client, chain, chain.payoutAddress)).toBe(3n * USDC);
    } finally {
      await chain.stop();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("could not be read");
    const aside = (await readdir(dir)).filter((f) => f.startsWith("chain-state.json.unreadable-"));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, aside[0]!), "utf8")).toBe('{"block":{"number":"0x1"},"accounts":{"0x');
  });
});
