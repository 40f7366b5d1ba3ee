/**
 * Payout configuration from the environment (docs/perpetual-earnings.md, Configuration): the payout wallet's key,
 * the chain, the USDC contract, and how long a claim waits for its receipt.
 */
import "server-only";
import { getAddress, isAddress, isHex } from "viem";
import { base, baseSepolia } from "viem/chains";
import { DomainError } from "@/lib/errors";

/** The environment variables read: process.env, or a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

export const BASE_USDC_ADDRESS = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
export const DEFAULT_CHAIN_ID = base.id;
export const DEFAULT_RECEIPT_TIMEOUT_MS = 60_000;
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
export const DEFAULT_WALLET_LOCK_TIMEOUT_MS = 60_000;

/** Public RPC endpoints of the chains we know; any other chain needs PAYOUT_RPC_URL. */
const KNOWN_RPC_URLS: Record<number, string> = {
  [base.id]: base.rpcUrls.default.http[0],
  [baseSepolia.id]: baseSepolia.rpcUrls.default.http[0],
};

export interface PayoutConfig {
  rpcUrl: string;
  chainId: number;
  privateKey: `0x${string}`;
  usdcAddress: `0x${string}`;
  /** How long a claim request waits for its receipt before answering PENDING. */
  receiptTimeoutMs: number;
  pollingIntervalMs: number;
  /** How long a sender waits for the payout wallet's lock before giving up (the claim then fails, nothing sent). */
  walletLockTimeoutMs: number;
}

export class PayoutsUnavailable extends DomainError {
  constructor(message: string) {
    super("payouts_unavailable", "Payouts unavailable", message);
  }
}

function positiveInteger(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

export function configuredChainId(env: Env = process.env): number {
  return positiveInteger(env, "PAYOUT_CHAIN_ID", DEFAULT_CHAIN_ID);
}

/** The RPC of the payout chain: PAYOUT_RPC_URL, else the chain's public endpoint (undefined for an unknown chain). */
export function chainRpcUrl(env: Env = process.env, chainId: number = configuredChainId(env)): string | undefined {
  return env.PAYOUT_RPC_URL?.trim() || KNOWN_RPC_URLS[chainId];
}

/** The chain's public RPC, safe to hand to a browser (no operator API key in it). */
export function publicRpcUrl(chainId: number): string | undefined {
  return KNOWN_RPC_URLS[chainId];
}

/**
 * Reads the payout configuration.
 * @throws PayoutsUnavailable (503) when the payout wallet is not configured, so a claim is refused before it is recorded
 */
export function payoutConfig(env: Env = process.env): PayoutConfig {
  const chainId = configuredChainId(env);
  const privateKey = env.PAYOUT_PRIVATE_KEY?.trim();
  if (!privateKey) throw new PayoutsUnavailable("No payout wallet is configured (PAYOUT_PRIVATE_KEY)");
  const key = privateKey.startsWith("0x") ? privateKey : `0x${privateKey}`;
  if (!isHex(key) || key.length !== 66) throw new Error("PAYOUT_PRIVATE_KEY must be a 32-byte hex private key");
  const rpcUrl = chainRpcUrl(env, chainId);
  if (!rpcUrl) throw new PayoutsUnavailable(`No RPC endpoint is configured for chain ${chainId} (PAYOUT_RPC_URL)`);
  const usdc = env.USDC_ADDRESS?.trim() || BASE_USDC_ADDRESS;
  if (!isAddress(usdc, { strict: false })) throw new Error(`USDC_ADDRESS is not an address: "${usdc}"`);
  return {
    rpcUrl,
    chainId,
    privateKey: key,
    usdcAddress: getAddress(usdc),
    receiptTimeoutMs: positiveInteger(env, "PAYOUT_RECEIPT_TIMEOUT_MS", DEFAULT_RECEIPT_TIMEOUT_MS),
    pollingIntervalMs: positiveInteger(env, "PAYOUT_POLL_INTERVAL_MS", DEFAULT_POLL_INTERVAL_MS),
    walletLockTimeoutMs: positiveInteger(env, "PAYOUT_WALLET_LOCK_TIMEOUT_MS", DEFAULT_WALLET_LOCK_TIMEOUT_MS),
  };
}
