"use client";

import { createSiweMessage } from "viem/siwe";
import { useConnect, useSignMessage, type Connector } from "wagmi";
import { apiUrl } from "@/lib/hooks/api";

export interface SiweProof {
  address: `0x${string}`;
  message: string;
  signature: `0x${string}`;
}

/**
 * Proves a wallet is the user's, for signing in and for linking a payout wallet: connects it (or reuses the
 * connection), takes a single-use nonce from the server, and has the wallet sign an EIP-4361 message for this site,
 * valid for ten minutes like the nonce. Signing sends no transaction.
 */
export function useSiweProof(chainId: number) {
  const connect = useConnect();
  const sign = useSignMessage();

  return async function prove(
    connector: Connector,
    statement: string,
    onStatus: (status: string) => void,
  ): Promise<SiweProof> {
    onStatus("Connecting…");
    const accounts = (await connector.isAuthorized().catch(() => false))
      ? await connector.getAccounts()
      : (await connect.mutateAsync({ connector, chainId })).accounts;
    const address = accounts[0];
    if (!address) throw new Error("The wallet shared no account");
    const nonceResponse = await fetch(`${apiUrl}/api/auth/siwe/nonce`);
    if (!nonceResponse.ok) throw new Error("Could not start: try again");
    const { nonce } = (await nonceResponse.json()) as { nonce: string };
    const now = new Date();
    const message = createSiweMessage({
      domain: window.location.host,
      address,
      statement,
      uri: window.location.origin,
      version: "1",
      chainId,
      nonce,
      issuedAt: now,
      expirationTime: new Date(now.getTime() + 10 * 60 * 1000),
    });
    onStatus("Waiting for your signature…");
    const signature = await sign.mutateAsync({ account: address, message });
    return { address, message, signature };
  };
}
