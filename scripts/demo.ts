/**
 * `npm run demo`: the whole product on one machine with no configuration — embedded PostgreSQL (or DATABASE_URL),
 * migrations, the seed documents' example networks, a local chain with a test USDC (or PAYOUT_RPC_URL and friends),
 * a production build, and the server. Prints the URL, a demo sign-in and the API keys.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createPrisma } from "@/lib/db/client";
import { DEMO_PROVIDER, DEMO_USER, DEMO_WALLET, seedDemo } from "@/lib/demo/seed";
import { applyMigrations } from "@/lib/db/migrate";
import { resolveDatabase } from "@/lib/db/resolve";
import { blacklistOnTestUsdc, startLocalChain, type LocalChain } from "./local-chain";
import { build, buildIsStale, onShutdown, projectRoot, startNextServer } from "./next-server";

const dataDir = process.env.DATA_DIR ?? join(projectRoot, ".data");
const port = Number(process.env.PORT ?? 3000);

interface DemoSecrets {
  secretKey: string;
  publishableKey: string;
  authSecret: string;
}

/** Keys survive restarts of the demo, so a front end configured once keeps working. */
function demoSecrets(): DemoSecrets {
  const file = join(dataDir, "demo-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as DemoSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets = {
    secretKey: process.env.BOOTSTRAP_SECRET_KEY ?? `sk_demo_${randomBytes(24).toString("hex")}`,
    publishableKey: process.env.BOOTSTRAP_PUBLISHABLE_KEY ?? `pk_demo_${randomBytes(24).toString("hex")}`,
    authSecret: process.env.AUTH_SECRET ?? randomBytes(32).toString("hex"),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function main() {
  const db = await resolveDatabase({ ...process.env, DATA_DIR: dataDir });
  console.log(db.embedded ? `Embedded PostgreSQL in ${dataDir}` : "Using DATABASE_URL");
  const { applied } = await applyMigrations(db.url);
  console.log(applied.length ? `Applied ${applied.length} migration(s)` : "Database schema up to date");
  let chain: LocalChain | undefined;
  const payoutEnv: Record<string, string | undefined> = {
    WALLET_MOCK_ACCOUNT: process.env.WALLET_MOCK_ACCOUNT,
    PAYOUT_RPC_URL: process.env.PAYOUT_RPC_URL,
    PAYOUT_PRIVATE_KEY: process.env.PAYOUT_PRIVATE_KEY,
    PAYOUT_CHAIN_ID: process.env.PAYOUT_CHAIN_ID,
    USDC_ADDRESS: process.env.USDC_ADDRESS,
  };
  if (!process.env.PAYOUT_RPC_URL) {
    // Kept beside the database, so a restarted demo's past claims still point at transactions on its chain.
    chain = await startLocalChain({ quiet: true, stateFile: join(dataDir, "chain-state.json") });
    Object.assign(payoutEnv, {
      PAYOUT_RPC_URL: chain.rpcUrl,
      PAYOUT_PRIVATE_KEY: chain.payoutPrivateKey,
      PAYOUT_CHAIN_ID: String(chain.chainId),
      USDC_ADDRESS: chain.usdcAddress,
      // Lets a visitor without a wallet extension sign in as the demo user's wallet (an unlocked anvil account).
      WALLET_MOCK_ACCOUNT: DEMO_WALLET,
    });
    console.log(`Local chain ${chain.rpcUrl} (chain id ${chain.chainId}), test USDC at ${chain.usdcAddress}`);
  }

  const seedDb = createPrisma(db.url);
  const localChain = chain;
  const demo = await seedDemo(seedDb, {
    // Past claims are paid for real: only on the demo's own chain, never on one configured from outside.
    payouts: localChain && {
      env: {
        PAYOUT_RPC_URL: localChain.rpcUrl,
        PAYOUT_PRIVATE_KEY: localChain.payoutPrivateKey,
        PAYOUT_CHAIN_ID: String(localChain.chainId),
        USDC_ADDRESS: localChain.usdcAddress,
        PAYOUT_POLL_INTERVAL_MS: "100",
      },
      databaseUrl: db.url,
      blacklist: (address) => blacklistOnTestUsdc(localChain, address),
    },
  }).finally(() => seedDb.$disconnect());
  console.log(`Demo data: a month of activity of ${demo.users} users and ${demo.providers} providers`);

  if (buildIsStale()) {
    console.log("Building the app (first run or sources changed)…");
    build();
  }

  const secrets = demoSecrets();
  const server = await startNextServer({
    port,
    env: {
      DATABASE_URL: db.url,
      // PGlite serves every connection through one session: no connection can listen apart (docs/live-updates.md),
      // nor keep prepared statements of its own (lib/db/client.ts).
      ...(db.embedded ? { LIVE_UPDATES_DISABLED: "true", DATABASE_PREPARED_STATEMENTS: "false" } : {}),
      AUTH_SECRET: secrets.authSecret,
      BOOTSTRAP_SECRET_KEY: secrets.secretKey,
      BOOTSTRAP_PUBLISHABLE_KEY: secrets.publishableKey,
      ...payoutEnv,
    },
  });
  onShutdown(async () => {
    await server.stop();
    await chain?.stop();
    await db.stop();
  });

  console.log(`
Referral engine demo is running.

  URL               ${server.url}
  Health            ${server.url}/api/health
  API reference     ${server.url}/docs/api   (OpenAPI document: ${server.url}/api/openapi.json)
  Operator console  ${server.url}/admin   (sign in with the secret key)
  Demo user         ${DEMO_USER.email} / ${DEMO_USER.password}   (${demo.user}; seeded with 150 KES + 600 NGN of referral fees)
  Demo provider     ${DEMO_PROVIDER.email} / ${DEMO_PROVIDER.password}   (${demo.provider})
  Secret key        ${secrets.secretKey}   (x-api-key for the operator's backend)
  Publishable key   ${secrets.publishableKey}   (x-api-key for front ends, with a user's bearer token)

Stop with Ctrl-C.`);
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
