/**
 * Block-explorer links of payout transactions. Safe in the browser: it reads no configuration (the page passes
 * the chain id it was rendered with), unlike ./config.ts, which holds the payout wallet's key.
 */
import { base, baseSepolia } from "viem/chains";

const EXPLORERS: Record<number, string> = {
  [base.id]: base.blockExplorers.default.url,
  [baseSepolia.id]: baseSepolia.blockExplorers.default.url,
};

/** The block explorer page of a payout transaction, or null on a chain without a public explorer (local chains). */
export function explorerTxUrl(hash: string, chainId: number): string | null {
  const explorer = EXPLORERS[chainId];
  return explorer ? `${explorer}/tx/${hash}` : null;
}
