/**
 * What the browser needs to connect a wallet, decided on the server at request time so one production build serves
 * Base, a testnet or the demo's local chain. The payout RPC URL may carry a provider's API key, so the browser gets
 * PUBLIC_RPC_URL, the chain's public endpoint, or a loopback URL (the demo's local chain) — never anything else.
 */
import "server-only";
import { base, baseSepolia } from "viem/chains";
import { chainRpcUrl, configuredChainId, publicRpcUrl } from "@/lib/payouts/config";

export interface WalletConfig {
  chainId: number;
  chainName: string;
  rpcUrl: string;
  /**
   * An account of the local chain's unlocked test wallets, for the demo and end-to-end tests: wagmi's mock connector
   * signs with it through the chain's RPC. Only honoured on a loopback chain.
   */
  mockAccount: `0x${string}` | null;
}

function isLoopback(url: string): boolean {
  try {
    return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

export function walletConfig(): WalletConfig {
  const chainId = configuredChainId();
  const rpc = chainRpcUrl() ?? "";
  const rpcUrl = process.env.PUBLIC_RPC_URL ?? publicRpcUrl(chainId) ?? (isLoopback(rpc) ? rpc : "");
  const mock = process.env.WALLET_MOCK_ACCOUNT;
  return {
    chainId,
    chainName: chainId === base.id ? "Base" : chainId === baseSepolia.id ? "Base Sepolia" : `Local chain ${chainId}`,
    rpcUrl,
    mockAccount: mock && /^0x[0-9a-fA-F]{40}$/.test(mock) && isLoopback(rpcUrl) ? (mock as `0x${string}`) : null,
  };
}
