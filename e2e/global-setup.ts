/**
 * Runs the production build as a deployment would, against a fresh database (real PostgreSQL when
 * TEST_DATABASE_URL is set, else the embedded one) and a fresh local chain with the test USDC.
 * What the specs need to know is passed to the workers through the environment.
 */
import { randomBytes } from "node:crypto";
import { createTestDatabase } from "@/lib/testing/db";
import { noteTestSecret } from "@/lib/testing/secrets";
import { startLocalChain } from "../scripts/local-chain";
import { build, buildIsStale, startNextServer } from "../scripts/next-server";

export const E2E_WALLET = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
/** The password of every account the specs sign up with email. */
export const PASSWORD = "correct horse battery staple";

export default async function globalSetup() {
  if (buildIsStale()) build();
  const db = await createTestDatabase();
  await db.prisma.$disconnect();
  const chain = await startLocalChain({ quiet: true });
  const secretKey = `sk_e2e_${randomBytes(24).toString("hex")}`;
  const publishableKey = `pk_e2e_${randomBytes(24).toString("hex")}`;
  const env = {
    DATABASE_URL: db.url,
    // The embedded database's one session cannot keep a connection's prepared statements apart (lib/db/client.ts).
    ...(db.embedded && { DATABASE_PREPARED_STATEMENTS: "false" }),
    AUTH_SECRET: randomBytes(32).toString("hex"),
    BOOTSTRAP_SECRET_KEY: secretKey,
    BOOTSTRAP_PUBLISHABLE_KEY: publishableKey,
    PAYOUT_RPC_URL: chain.rpcUrl,
    PAYOUT_PRIVATE_KEY: chain.payoutPrivateKey,
    PAYOUT_CHAIN_ID: String(chain.chainId),
    USDC_ADDRESS: chain.usdcAddress,
    // Anvil's unlocked account 2: wagmi's mock connector signs with it through the chain's RPC.
    WALLET_MOCK_ACCOUNT: E2E_WALLET,
  };
  noteTestSecret(secretKey, publishableKey, env.AUTH_SECRET, chain.payoutPrivateKey, PASSWORD);
  const server = await startNextServer({
    port: Number(process.env.E2E_PORT),
    env,
    quiet: true,
    // `npm test` checks the server's logs for secrets after the run (scripts/check-logs.ts).
    logFile: process.env.E2E_LOG_FILE,
  });
  Object.assign(process.env, {
    E2E_BASE_URL: server.url,
    E2E_DATABASE_URL: db.url,
    E2E_SECRET_KEY: secretKey,
    E2E_PUBLISHABLE_KEY: publishableKey,
    E2E_RPC_URL: chain.rpcUrl,
    E2E_USDC_ADDRESS: chain.usdcAddress,
  });
  return async () => {
    await server.stop();
    await chain.stop();
    await db.drop();
  };
}
