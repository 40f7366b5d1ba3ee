/**
 * A throwaway local chain for development and tests: anvil plus the project's TestUSDC, with the payout
 * wallet already holding ETH for gas and USDC to pay out. Import `startLocalChain` from tests, or run
 * `npm run chain` for a long-lived one whose connection details are printed as one JSON line on stdout.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, realpathSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  erc20Abi,
  getContractAddress,
  http,
  type Abi,
  type Chain,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { freePort } from "./free-port";

export interface LocalChain {
  rpcUrl: string;
  chainId: number;
  usdcAddress: `0x${string}`;
  /** Anvil account 0: deployed TestUSDC, so it is the token's owner (mint, blacklist). */
  ownerPrivateKey: `0x${string}`;
  /** Anvil account 1: the payout wallet, holding anvil's default ETH and the minted USDC. */
  payoutPrivateKey: `0x${string}`;
  payoutAddress: `0x${string}`;
  /** Kills anvil and resolves once it has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface LocalChainOptions {
  /** Defaults to a free port on 127.0.0.1. */
  port?: number;
  /** Defaults to 31337, anvil's own default. */
  chainId?: number;
  /** USDC minted to the payout wallet, in base units (6 decimals). Defaults to 1,000,000 USDC. */
  fundUsdc?: bigint;
  /** Seconds between blocks (interval mining). Defaults to mining each transaction as it arrives. */
  blockTime?: number;
  /** Keep anvil's own log off stderr. */
  quiet?: boolean;
  /**
   * Keep the chain in this file: loaded at start when it exists, written every second and on exit, so a restarted
   * chain still has its TestUSDC, balances and past transactions (a database that outlives the chain would
   * otherwise point at claims paid on a chain that no longer exists). Without it the chain starts empty.
   */
  stateFile?: string;
}

// Anvil's default accounts 0 and 1, derived from its public test mnemonic ("test test ... junk"). These keys
// are published in anvil's docs and known to everyone: they must never hold anything of value on a real chain.
const ANVIL_ACCOUNT_0_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ANVIL_ACCOUNT_1_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

const DEFAULT_CHAIN_ID = 31337;
const DEFAULT_FUND_USDC = 1_000_000n * 10n ** 6n;
const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;
// Only applies when we picked the port: another process can take it between our probe and anvil's bind.
const PORT_ATTEMPTS = 3;
// Enough of anvil's output to explain a failed start without keeping its whole request log in memory.
const OUTPUT_TAIL_CHARS = 8_000;

const require = createRequire(import.meta.url);
const projectRoot = fileURLToPath(new URL("..", import.meta.url));

/** TestUSDC's interface, typed for viem: the standard ERC-20 functions and events plus the owner's controls. */
export const testUsdcAbi = [
  ...erc20Abi,
  {
    type: "function",
    name: "owner",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "address" }],
  },
  {
    type: "function",
    name: "mint",
    stateMutability: "nonpayable",
    inputs: [
      { name: "to", type: "address" },
      { name: "amount", type: "uint256" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "blacklist",
    stateMutability: "nonpayable",
    inputs: [{ name: "account", type: "address" }],
    outputs: [],
  },
  {
    type: "function",
    name: "unBlacklist",
    stateMutability: "nonpayable",
    inputs: [{ name: "account", type: "address" }],
    outputs: [],
  },
  {
    type: "function",
    name: "isBlacklisted",
    stateMutability: "view",
    inputs: [{ name: "account", type: "address" }],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "event",
    name: "Blacklisted",
    inputs: [{ name: "account", type: "address", indexed: true }],
    anonymous: false,
  },
  {
    type: "event",
    name: "UnBlacklisted",
    inputs: [{ name: "account", type: "address", indexed: true }],
    anonymous: false,
  },
] as const;

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}

let compiledTestUsdc: { abi: Abi; bytecode: `0x${string}` } | undefined;

/** Compiles contracts/TestUSDC.sol with the bundled solc-js (no download); the result is cached in-process. */
export function compileTestUsdc(): { abi: Abi; bytecode: `0x${string}` } {
  if (compiledTestUsdc) return compiledTestUsdc;
  // Loaded lazily: solc-js takes about a second to load, which code importing only the ABI should not pay.
  const solc = require("solc") as typeof import("solc");
  const input = {
    language: "Solidity",
    sources: {
      "TestUSDC.sol": { content: readFileSync(`${projectRoot}contracts/TestUSDC.sol`, "utf8") },
    },
    settings: {
      // Pinned so the bytecode runs on Base and on whichever hardfork the installed anvil defaults to.
      evmVersion: "cancun",
      outputSelection: { "TestUSDC.sol": { TestUSDC: ["abi", "evm.bytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) {
    throw new Error(`TestUSDC.sol failed to compile:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  }
  const contract = output.contracts?.["TestUSDC.sol"]?.["TestUSDC"];
  if (!contract) throw new Error("solc produced no TestUSDC contract");
  compiledTestUsdc = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
  return compiledTestUsdc;
}

export async function startLocalChain(options: LocalChainOptions = {}): Promise<LocalChain> {
  const chainId = options.chainId ?? DEFAULT_CHAIN_ID;
  const fundUsdc = options.fundUsdc ?? DEFAULT_FUND_USDC;
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new RangeError(`invalid chainId: ${chainId}`);
  if (fundUsdc < 0n) throw new RangeError(`fundUsdc must not be negative: ${fundUsdc}`);

  // Compile first: it is the slow, most likely failing step, and failing here leaves no process to clean up.
  const { abi, bytecode } = compileTestUsdc();
  if (options.stateFile !== undefined) setAsideUnreadableState(options.stateFile);
  const anvil = await launchAnvil(options, chainId);
  try {
    const rpcUrl = `http://127.0.0.1:${anvil.port}`;
    const chain = anvilChain(chainId, rpcUrl);
    // viem polls every 4s by default, tuned for public chains; anvil has the receipt within milliseconds.
    const publicClient = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval: 50 });
    const owner = createWalletClient({
      chain,
      transport: http(rpcUrl),
      account: privateKeyToAccount(ANVIL_ACCOUNT_0_KEY),
    });
    const payoutAddress = privateKeyToAccount(ANVIL_ACCOUNT_1_KEY).address;

    // The owner's first deployment: on a chain restored from its state file, TestUSDC is already there, funded.
    // Lower-case, as a deployment receipt names it, so both starts report the address the same way.
    let usdcAddress = getContractAddress({ from: owner.account.address, nonce: 0n }).toLowerCase() as `0x${string}`;
    const restored =
      options.stateFile !== undefined && (await publicClient.getCode({ address: usdcAddress })) !== undefined;
    if (!restored) {
      const deployHash = await owner.deployContract({ abi, bytecode });
      const deployReceipt = await publicClient.waitForTransactionReceipt({ hash: deployHash });
      if (deployReceipt.status !== "success" || !deployReceipt.contractAddress) {
        throw new Error(`TestUSDC deployment failed (transaction ${deployHash})`);
      }
      usdcAddress = deployReceipt.contractAddress;
      if (fundUsdc > 0n) {
        const mintHash = await owner.writeContract({
          address: usdcAddress,
          abi: testUsdcAbi,
          functionName: "mint",
          args: [payoutAddress, fundUsdc],
        });
        const mintReceipt = await publicClient.waitForTransactionReceipt({ hash: mintHash });
        if (mintReceipt.status !== "success")
          throw new Error(`minting to the payout wallet failed (transaction ${mintHash})`);
      }
    }

    return {
      rpcUrl,
      chainId,
      usdcAddress,
      ownerPrivateKey: ANVIL_ACCOUNT_0_KEY,
      payoutPrivateKey: ANVIL_ACCOUNT_1_KEY,
      payoutAddress,
      stop: () => anvil.stop(),
    };
  } catch (error) {
    await anvil.stop();
    throw error;
  }
}

/** viem's description of a local anvil chain, for clients that sign (they must name their chain). */
export function anvilChain(id: number, rpcUrl: string): Chain {
  return defineChain({
    id,
    name: "Local anvil",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/** As TestUSDC's owner, blacklists an address (transfers to it revert, as USDC's do), and waits until it is mined. */
export async function blacklistOnTestUsdc(chain: LocalChain, address: `0x${string}`): Promise<void> {
  const viemChain = anvilChain(chain.chainId, chain.rpcUrl);
  const transport = http(chain.rpcUrl);
  const owner = createWalletClient({
    chain: viemChain,
    transport,
    account: privateKeyToAccount(chain.ownerPrivateKey),
  });
  const hash = await owner.writeContract({
    address: chain.usdcAddress,
    abi: testUsdcAbi,
    functionName: "blacklist",
    args: [address],
  });
  const client = createPublicClient({ chain: viemChain, transport, pollingInterval: 50 });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`blacklisting ${address} failed (transaction ${hash})`);
}

/**
 * Anvil refuses to start from a state file it cannot parse, which a kill in the middle of a dump can leave behind.
 * Such a file is renamed (kept for a look) and the chain starts empty, saying so, rather than not at all.
 */
function setAsideUnreadableState(stateFile: string): void {
  if (!existsSync(stateFile)) return;
  try {
    JSON.parse(readFileSync(stateFile, "utf8"));
  } catch (error) {
    const aside = `${stateFile}.unreadable-${Date.now()}`;
    renameSync(stateFile, aside);
    console.warn(
      `Local chain: ${stateFile} could not be read (${error instanceof Error ? error.message : String(error)}); moved to ${aside}. ` +
        "The chain starts empty: transactions recorded before are not on it.",
    );
  }
}

class AnvilExitedError extends Error {
  constructor(
    message: string,
    readonly portInUse: boolean,
  ) {
    super(message);
  }
}

interface RunningAnvil {
  port: number;
  stop(): Promise<void>;
}

async function launchAnvil(options: LocalChainOptions, chainId: number): Promise<RunningAnvil> {
  const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await spawnAnvil(port, chainId, options);
    } catch (error) {
      if (!(error instanceof AnvilExitedError && error.portInUse) || attempt >= attempts) throw error;
    }
  }
}

async function spawnAnvil(port: number, chainId: number, options: LocalChainOptions): Promise<RunningAnvil> {
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId)];
  if (options.blockTime !== undefined) args.push("--block-time", String(options.blockTime));
  // Written every second as well as on exit, so a chain killed without warning loses at most the last second.
  if (options.stateFile !== undefined) args.push("--state", options.stateFile, "--state-interval", "1");
  const binary = resolveAnvilBinary();
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });

  // Both pipes must be drained even when quiet: anvil logs every request and would block on a full pipe.
  let outputTail = "";
  let listening = false;
  const onOutput = (chunk: Buffer) => {
    outputTail = (outputTail + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
    // Printed only once anvil itself holds the port, so an RPC answer cannot come from some other node on it.
    listening ||= outputTail.includes(`Listening on 127.0.0.1:${port}`);
    if (!options.quiet) process.stderr.write(chunk);
  };
  child.stdout.on("data", onOutput);
  child.stderr.on("data", onOutput);

  // Synchronous by necessity: an "exit" listener cannot await. Covers test runs that die without stop().
  const killOnExit = () => child.kill("SIGTERM");
  process.on("exit", killOnExit);

  let stopping = false;
  let spawnFailure: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    // "close" rather than "exit": it waits for the pipes to drain, so outputTail holds anvil's last words.
    child.once("close", (code) => {
      process.off("exit", killOnExit);
      if (listening && !stopping && code !== 0) {
        process.stderr.write(
          `local-chain: anvil (pid ${child.pid}) exited unexpectedly with code ${code}\n${outputTail}\n`,
        );
      }
      resolve();
    });
    // A failed spawn emits "error" and never "close".
    child.once("error", (error) => {
      process.off("exit", killOnExit);
      spawnFailure = error;
      resolve();
    });
  });

  const stop = async () => {
    stopping = true;
    process.off("exit", killOnExit);
    if (hasExited(child)) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  const rpcUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (hasExited(child)) {
      await exited;
      if (spawnFailure) throw new Error(`could not start anvil (${binary}): ${spawnFailure.message}`);
      throw new AnvilExitedError(
        `anvil exited during startup (code ${child.exitCode}, signal ${child.signalCode}) on port ${port}:\n${outputTail}`,
        outputTail.includes("Address already in use"),
      );
    }
    if (listening && (await rpcChainId(rpcUrl)) === chainId) return { port, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`anvil did not answer eth_chainId on ${rpcUrl} within ${READY_TIMEOUT_MS} ms:\n${outputTail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function hasExited(child: ChildProcess): boolean {
  // pid is undefined when the spawn itself failed.
  return child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
}

// Spawning the platform binary directly, rather than through npx or the package's node wrapper, means the
// PID we hold is anvil's own, so killing it cannot leave an orphaned anvil behind.
function resolveAnvilBinary(): string {
  const platformPackages: Record<string, string> = {
    "linux-x64": "@foundry-rs/anvil-linux-amd64",
    "linux-arm64": "@foundry-rs/anvil-linux-arm64",
    "darwin-x64": "@foundry-rs/anvil-darwin-amd64",
    "darwin-arm64": "@foundry-rs/anvil-darwin-arm64",
  };
  const platformPackage = platformPackages[`${process.platform}-${process.arch}`];
  if (platformPackage) {
    try {
      return require.resolve(`${platformPackage}/bin/anvil`);
    } catch {
      // Not installed for this platform; the wrapper below may still find a binary.
    }
  }
  // The wrapper forwards SIGTERM to the real binary, so stop() and the exit handler still shut anvil down.
  const wrapper = `${projectRoot}node_modules/.bin/anvil`;
  if (existsSync(wrapper)) return wrapper;
  throw new Error("anvil is not installed: run `npm install` (it comes from @foundry-rs/anvil)");
}

async function rpcChainId(rpcUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(1_000),
    });
    const body = (await response.json()) as { result?: unknown };
    return typeof body.result === "string" ? Number(BigInt(body.result)) : undefined;
  } catch {
    return undefined; // Not accepting connections yet.
  }
}

function isMainModule(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      "chain-id": { type: "string" },
      "block-time": { type: "string" },
      quiet: { type: "boolean" },
    },
  });
  const chain = await startLocalChain({
    port: values.port === undefined ? undefined : Number(values.port),
    chainId: values["chain-id"] === undefined ? undefined : Number(values["chain-id"]),
    blockTime: values["block-time"] === undefined ? undefined : Number(values["block-time"]),
    quiet: values.quiet,
  });
  const { rpcUrl, chainId, usdcAddress, payoutAddress, payoutPrivateKey } = chain;
  process.stdout.write(`${JSON.stringify({ rpcUrl, chainId, usdcAddress, payoutAddress, payoutPrivateKey })}\n`);

  const shutdown = () => {
    chain.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

if (isMainModule()) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
