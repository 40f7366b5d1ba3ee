"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useConnectors } from "wagmi";
import { useSiweProof } from "@/components/auth/use-siwe-proof";
import { buttonPrimary, mutedText } from "@/components/ui/styles";
import type { WalletConfig } from "@/lib/auth/wallet-config";
import { apiError, apiUrl, getHeaders } from "@/lib/hooks/api";

/**
 * Links a Base wallet to an account that signed in with email: the wallet signs a Sign-In with Ethereum message
 * (no transaction, no cost) and the server checks it (PUT /api/user/me/wallet). Claims are paid to that wallet.
 */
export function LinkWallet({ wallet }: { wallet: WalletConfig }) {
  const router = useRouter();
  const connectors = useConnectors();
  const prove = useSiweProof(wallet.chainId);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function link(connector: (typeof connectors)[number]) {
    setError(null);
    try {
      const { address, message, signature } = await prove(
        connector,
        "Link this wallet to my referral engine account to receive claims.",
        setStatus,
      );
      setStatus("Linking…");
      const res = await fetch(`${apiUrl}/api/user/me/wallet`, {
        method: "PUT",
        headers: getHeaders(),
        body: JSON.stringify({ address, message, signature }),
      });
      if (!res.ok) {
        const failure = await apiError(res, "Linking failed");
        throw new Error(
          failure.status === 409
            ? "This wallet is already linked to another account."
            : (failure.detail ?? failure.error),
        );
      }
      setStatus("Wallet linked.");
      router.refresh();
    } catch (e) {
      setStatus(null);
      setError(e instanceof Error ? e.message.split("\n")[0]! : "Linking failed");
    }
  }

  return (
    <div className="flex flex-col gap-2">
      {connectors.length === 0 ? (
        <p className={`text-sm ${mutedText}`}>
          No wallet found in this browser. Install a wallet extension to link one.
        </p>
      ) : (
        <div className="flex flex-wrap gap-2">
          {connectors.map((connector) => (
            <button
              key={connector.uid}
              type="button"
              className={buttonPrimary}
              disabled={status !== null && status !== "Wallet linked."}
              onClick={() => link(connector)}
            >
              Link wallet with {connector.name === "Injected" ? "browser wallet" : connector.name}
            </button>
          ))}
        </div>
      )}
      <p aria-live="polite" className={`min-h-5 text-sm ${mutedText}`}>
        {status}
      </p>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}
