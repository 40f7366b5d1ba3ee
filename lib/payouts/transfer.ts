/**
 * USDC transfers from the payout wallet with viem: simulate, sign locally (the hash is known before anything
 * leaves the process), broadcast the exact signed bytes, and settle by hash. Knows nothing of claims: the
 * caller stores the signed transaction between `signTransfer` and `broadcast`.
 */
import "server-only";
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  defineChain,
  encodeFunctionData,
  erc20Abi,
  getAddress,
  http,
  keccak256,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
} from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { base, baseSepolia } from "viem/chains";
import type { PayoutConfig } from "./config";

export interface SignedTransfer {
  hash: Hex;
  nonce: number;
  /** The signed transaction, ready for eth_sendRawTransaction. */
  serialized: Hex;
}

/**
 * - `sent`: the node accepted it (or already had it).
 * - `rejected`: the node refused it for a reason that means it will never be mined as it stands.
 * - `unknown`: no clear answer (network error, unexpected message): it may have reached the node.
 */
export type BroadcastOutcome =
  { kind: "sent" } | { kind: "rejected"; reason: string } | { kind: "unknown"; reason: string };

/**
 * Where a broadcast transaction stands:
 * - `success` / `reverted`: mined with that receipt status;
 * - `pending`: a node knows it and it is not mined yet;
 * - `replaced`: not mined, and its nonce was used by another transaction, so it can never be mined;
 * - `missing`: nobody knows it and its nonce is unused: it was dropped (or never arrived) and may be resent.
 */
export type TransferState = "success" | "reverted" | "pending" | "replaced" | "missing";

// Node answers meaning the transaction was refused as it stands and was not kept. Anything else is `unknown`.
const REJECTION =
  /insufficient funds|exceeds transaction sender account balance|nonce too low|nonce too high|intrinsic gas too low|fee cap less than block base fee|max fee per gas less than|underpriced|tip higher than fee cap|max priority fee per gas higher|invalid chain ?id|exceeds block gas limit|gas limit reached|invalid sender|oversized data/i;
const ALREADY_KNOWN = /already known|known transaction|already imported/i;

const KNOWN_CHAINS: Record<number, Chain> = { [base.id]: base, [baseSepolia.id]: baseSepolia };

export class PayoutWallet {
  readonly account: PrivateKeyAccount;
  readonly client: PublicClient<Transport, Chain>;

  constructor(readonly config: PayoutConfig) {
    this.account = privateKeyToAccount(config.privateKey);
    const chain =
      KNOWN_CHAINS[config.chainId] ??
      defineChain({
        id: config.chainId,
        name: `Chain ${config.chainId}`,
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [config.rpcUrl] } },
      });
    this.client = createPublicClient({
      chain,
      transport: http(config.rpcUrl, { retryCount: 0 }),
      pollingInterval: config.pollingIntervalMs,
    });
  }

  /** Lower-case, as stored on claims. */
  get address(): string {
    return this.account.address.toLowerCase();
  }

  /**
   * Runs the transfer against the current chain state without sending it.
   * @throws when it would revert (e.g. a blacklisted recipient, too little USDC) or the node cannot be reached
   */
  async simulateTransfer(to: string, units: bigint): Promise<void> {
    const { result } = await this.client.simulateContract({
      account: this.account.address,
      address: this.config.usdcAddress,
      abi: erc20Abi,
      functionName: "transfer",
      args: [getAddress(to), units],
    });
    if (!result) throw new Error("USDC transfer() returned false");
  }

  /**
   * Builds and signs the transfer with the wallet's next nonce (counting transactions still in the mempool).
   * Call it only under the payout wallet's lock.
   */
  async signTransfer(to: string, units: bigint): Promise<SignedTransfer> {
    const nonce = await this.client.getTransactionCount({ address: this.account.address, blockTag: "pending" });
    const request = await this.client.prepareTransactionRequest({
      account: this.account,
      to: this.config.usdcAddress,
      data: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [getAddress(to), units] }),
      nonce,
      type: "eip1559",
    });
    const serialized = await this.account.signTransaction(request);
    return { hash: keccak256(serialized), nonce, serialized };
  }

  async broadcast(serialized: Hex): Promise<BroadcastOutcome> {
    try {
      await this.client.sendRawTransaction({ serializedTransaction: serialized });
      return { kind: "sent" };
    } catch (error) {
      const text = errorText(error);
      if (ALREADY_KNOWN.test(text)) return { kind: "sent" };
      if (REJECTION.test(text)) return { kind: "rejected", reason: shortReason(error) };
      return { kind: "unknown", reason: shortReason(error) };
    }
  }

  /** Polls for the receipt until `timeoutMs` passes. @returns null when there is none yet */
  async waitForReceipt(hash: Hex, timeoutMs: number): Promise<"success" | "reverted" | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.receiptStatus(hash);
      if (status) return status;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.config.pollingIntervalMs, left)));
    }
  }

  /**
   * Settles a transaction by its hash alone. `from` and `nonce` are those it was signed with.
   * The receipt is read again after the nonce: a transaction mined between the two reads is not `replaced`.
   */
  async inspect(hash: Hex, from: string, nonce: number): Promise<TransferState> {
    const mined = await this.receiptStatus(hash);
    if (mined) return mined;
    try {
      await this.client.getTransaction({ hash });
      return "pending";
    } catch (error) {
      if (!(error instanceof TransactionNotFoundError)) throw error;
    }
    const used = await this.client.getTransactionCount({ address: getAddress(from), blockTag: "latest" });
    if (used <= nonce) return "missing";
    return (await this.receiptStatus(hash)) ?? "replaced";
  }

  private async receiptStatus(hash: Hex): Promise<"success" | "reverted" | null> {
    try {
      return (await this.client.getTransactionReceipt({ hash })).status;
    } catch (error) {
      if (error instanceof TransactionReceiptNotFoundError) return null;
      throw error;
    }
  }
}

function errorText(error: unknown): string {
  if (error instanceof BaseError) return [error.shortMessage, error.details, error.message].join(" ");
  return error instanceof Error ? error.message : String(error);
}

/** One line for the claim's failure reason (the revert reason when there is one): no stack, no request dump. */
export function shortReason(error: unknown): string {
  let text: string;
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    text =
      reverted instanceof ContractFunctionRevertedError && reverted.reason
        ? `reverted: ${reverted.reason}`
        : [error.shortMessage, error.details].filter(Boolean).join(": ");
  } else {
    text = errorText(error);
  }
  return text.replace(/\s+/g, " ").trim().slice(0, 500);
}
