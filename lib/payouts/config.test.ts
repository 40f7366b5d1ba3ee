import { describe, expect, it } from "vitest";
import { BASE_USDC_ADDRESS, payoutConfig, PayoutsUnavailable } from "./config";
import { explorerTxUrl } from "./explorer";

const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const HASH = `0x${"ab".repeat(32)}`;

describe("payout configuration", () => {
  it("defaults to Base mainnet, its public RPC and the official USDC", () => {
    expect(payoutConfig({ PAYOUT_PRIVATE_KEY: KEY })).toEqual({
      rpcUrl: "https://mainnet.base.org",
      chainId: 8453,
      privateKey: KEY,
      usdcAddress: BASE_USDC_ADDRESS,
      receiptTimeoutMs: 60_000,
      pollingIntervalMs: 1_000,
      walletLockTimeoutMs: 60_000,
    });
  });

  it("takes the chain, RPC, token and timings from the environment", () => {
    const config = payoutConfig({
      PAYOUT_PRIVATE_KEY: KEY.slice(2),
      PAYOUT_CHAIN_ID: "31337",
      PAYOUT_RPC_URL: "http://127.0.0.1:8545",
      USDC_ADDRESS: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
      PAYOUT_RECEIPT_TIMEOUT_MS: "500",
    });
    expect(config).toMatchObject({
      chainId: 31337,
      rpcUrl: "http://127.0.0.1:8545",
      privateKey: KEY,
      receiptTimeoutMs: 500,
    });
    expect(config.usdcAddress).toBe("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  });

  it("refuses claims (503) without a payout key, or without an RPC on an unknown chain", () => {
    expect(() => payoutConfig({})).toThrow(PayoutsUnavailable);
    expect(() => payoutConfig({ PAYOUT_PRIVATE_KEY: KEY, PAYOUT_CHAIN_ID: "31337" })).toThrow(PayoutsUnavailable);
  });

  it("stops on a malformed setting instead of guessing", () => {
    expect(() => payoutConfig({ PAYOUT_PRIVATE_KEY: "0x1234" })).toThrow("32-byte");
    expect(() => payoutConfig({ PAYOUT_PRIVATE_KEY: KEY, USDC_ADDRESS: "usdc" })).toThrow("USDC_ADDRESS");
    expect(() => payoutConfig({ PAYOUT_PRIVATE_KEY: KEY, PAYOUT_RECEIPT_TIMEOUT_MS: "-5" })).toThrow(
      "PAYOUT_RECEIPT_TIMEOUT_MS",
    );
  });

  it("links transfers to Basescan on Base and Base Sepolia, and nowhere on a local chain", () => {
    expect(explorerTxUrl(HASH, 8453)).toBe(`https://basescan.org/tx/${HASH}`);
    expect(explorerTxUrl(HASH, 84532)).toBe(`https://sepolia.basescan.org/tx/${HASH}`);
    expect(explorerTxUrl(HASH, 31337)).toBeNull();
  });
});
