/**
 * Sign-In with Ethereum (EIP-4361) with viem: server-issued single-use nonces, the message's domain, URI and chain
 * checked against this deployment's configuration (lib/auth/site.ts, never the request's headers), and the
 * signature verified through the RPC so smart-contract wallets (ERC-1271 / ERC-6492) sign in as well as plain
 * accounts.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { createPublicClient, getAddress, http, isAddress, type Hex } from "viem";
import { parseSiweMessage } from "viem/siwe";
import { type Db } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { chainRpcUrl, configuredChainId } from "@/lib/payouts/config";
import { siteUrl, SiteUrlMissing } from "./site";

const NONCE_TTL_MS = 10 * 60 * 1000;

export class InvalidSiwe extends DomainError {
  constructor(message: string) {
    super("invalid_siwe", "Invalid sign-in message", message);
  }
}

export async function issueNonce(db: Db, now = new Date()): Promise<string> {
  // Alphanumeric, as EIP-4361 requires, and 128 bits.
  const nonce = randomBytes(16).toString("hex");
  await db.authNonce.create({ data: { nonce, expiresAt: new Date(now.getTime() + NONCE_TTL_MS) } });
  // Expired nonces are garbage; removing a few on each issue keeps the table small without a job.
  await db.authNonce.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - NONCE_TTL_MS) } } });
  return nonce;
}

const liveNonce = (nonce: string, now: Date) => ({ nonce, usedAt: null, expiresAt: { gt: now } });

/** Marks the nonce used; false when it is unknown, expired or already used. One conditional UPDATE, so a replay racing the first use loses. */
async function consumeNonce(db: Db, nonce: string): Promise<boolean> {
  const now = new Date();
  const { count } = await db.authNonce.updateMany({ where: liveNonce(nonce, now), data: { usedAt: now } });
  return count === 1;
}

export interface SiweProof {
  message: string;
  signature: string;
}

/**
 * Verifies a SIWE proof for this deployment and consumes its nonce; returns the signer's address (lower case).
 * The message must name the configured site: its domain is the site's host and its URI is on the site's origin,
 * so a signature a phishing site collected for itself proves nothing here, whatever headers it sends along.
 * @param site this deployment's URL (AUTH_URL, else APP_URL)
 * @throws SiteUrlMissing (503) when neither is configured; InvalidSiwe (400) for anything else wrong
 */
export async function verifySiwe(db: Db, proof: SiweProof, site: URL | null = siteUrl()): Promise<`0x${string}`> {
  if (!site) throw new SiteUrlMissing();
  const fields = parseSiweMessage(proof.message);
  if (!fields.address || !fields.nonce || !fields.domain || !fields.chainId || !fields.uri) {
    throw new InvalidSiwe("The message is not an EIP-4361 sign-in message");
  }
  if (!sameSite(`${site.protocol}//${fields.domain}`, site)) {
    throw new InvalidSiwe(`The message is for ${fields.domain}, not ${site.host}`);
  }
  if (!sameSite(fields.uri, site)) {
    throw new InvalidSiwe(`The message's URI ${fields.uri} is not on ${site.origin}`);
  }
  const chainId = configuredChainId();
  if (fields.chainId !== chainId) {
    throw new InvalidSiwe(`The message is for chain ${fields.chainId}; sign in on chain ${chainId}`);
  }
  const now = new Date();
  if (fields.expirationTime && fields.expirationTime <= now) throw new InvalidSiwe("The message has expired");
  if (fields.notBefore && fields.notBefore > now) throw new InvalidSiwe("The message is not valid yet");
  if (!/^0x[0-9a-fA-F]+$/.test(proof.signature)) throw new InvalidSiwe("The signature is not hex");
  // Checked before the RPC call, so made-up nonces cost the chain's endpoint nothing.
  if (!(await db.authNonce.findFirst({ where: liveNonce(fields.nonce, now), select: { nonce: true } }))) {
    throw new InvalidSiwe(NONCE_REFUSED);
  }

  const rpcUrl = chainRpcUrl();
  if (!rpcUrl) throw new Error(`No RPC endpoint for chain ${chainId}: set PAYOUT_RPC_URL`);
  const client = createPublicClient({ transport: http(rpcUrl) });
  const valid = await client.verifySiweMessage({
    message: proof.message,
    signature: proof.signature as Hex,
    domain: fields.domain,
    nonce: fields.nonce,
  });
  if (!valid) throw new InvalidSiwe("The signature does not match the message's address");
  // Consumed only after the signature checks out, so a stranger cannot burn someone's nonce with a bad signature.
  if (!(await consumeNonce(db, fields.nonce))) throw new InvalidSiwe(NONCE_REFUSED);
  return fields.address.toLowerCase() as `0x${string}`;
}

const NONCE_REFUSED = "The nonce is unknown, expired or already used";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * True when `uri` is on the site's origin. A site on a loopback address (the local default of `npm start` and the
 * demo) is one machine under each of its loopback names, so 127.0.0.1, localhost and [::1] on its port all count:
 * only a process on that same machine can be there.
 */
function sameSite(uri: string, site: URL): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.origin === site.origin) return true;
  return (
    LOOPBACK.has(site.hostname) &&
    LOOPBACK.has(url.hostname) &&
    url.protocol === site.protocol &&
    url.port === site.port
  );
}

/** Checksummed form for display; stored addresses are lower case. */
export function displayAddress(address: string): string {
  return isAddress(address, { strict: false }) ? getAddress(address) : address;
}
