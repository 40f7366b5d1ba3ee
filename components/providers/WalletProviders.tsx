"use client";

import { useState } from "react";
import { defineChain } from "viem";
import { createConfig, http, WagmiProvider } from "wagmi";
import { injected } from "wagmi/connectors/injected";
import { mock } from "wagmi/connectors/mock";
import type { WalletConfig } from "@/lib/auth/wallet-config";
import { QueryProvider } from "./QueryProvider";

function wagmiConfig(wallet: WalletConfig) {
  const chain = defineChain({
    id: wallet.chainId,
    name: wallet.chainName,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [wallet.rpcUrl] } },
  });
  return createConfig({
    chains: [chain],
    connectors: wallet.mockAccount ? [mock({ accounts: [wallet.mockAccount] }), injected()] : [injected()],
    transports: { [chain.id]: http(wallet.rpcUrl) },
    ssr: true,
  });
}

/** React Query for the app's data and wagmi for wallets, one instance of each per browser tab. */
export function WalletProviders({ wallet, children }: { wallet: WalletConfig; children: React.ReactNode }) {
  return (
    <WalletProvider wallet={wallet}>
      <QueryProvider>{children}</QueryProvider>
    </WalletProvider>
  );
}

/** wagmi alone, inside a page that already has React Query (wagmi's hooks use the nearest query client). */
export function WalletProvider({ wallet, children }: { wallet: WalletConfig; children: React.ReactNode }) {
  const [config] = useState(() => wagmiConfig(wallet));
  return <WagmiProvider config={config}>{children}</WagmiProvider>;
}
