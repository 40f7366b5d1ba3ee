/**
 * `npm run cluster -- --instances N`: the production topology on one machine, for tests, benchmarks and demos
 * (README, "Running in production"):
 *
 *   haproxy (round robin, health-checked) → N app instances (`next start`, jobs on every one)
 *                                            ├─ PostgreSQL primary ──streaming──▶ replica (DATABASE_READ_URL)
 *                                            ├─ Redis (rate limits)
 *                                            └─ anvil with the test USDC (payouts)
 *
 * Every part gets its own data folder under one directory (`--dir`, else a new temp folder) and its own free
 * port; PostgreSQL is Debian's 15 (initdb, pg_ctl, pg_basebackup), run as the `postgres` OS user when this runs as
 * root (initdb refuses root). It prints the URL and keys, and stops everything it started, by PID, on Ctrl-C.
 *
 *   npm run cluster -- --instances 3
 *   flags: --instances N (2) --port P (haproxy; a free port) --dir D --replica-delay-ms N --keep --no-build
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { applyMigrations } from "@/lib/db/migrate";
import { freePort } from "./free-port";
import { startLocalChain, type LocalChain } from "./local-chain";
import { build, buildIsStale, hasBuild, onShutdown, startNextServer, type NextServer } from "./next-server";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
const HAPROXY = process.env.HAPROXY_BIN ?? "/usr/sbin/haproxy";
const REDIS = process.env.REDIS_SERVER_BIN ?? "redis-server";

export interface ClusterOptions {
  instances: number;
  /** haproxy's port; a free one when absent. */
  port?: number;
  /** Where the data folders and logs go; a new temp folder (removed on stop) when absent. */
  dir?: string;
  /** The replica applies WAL this late (recovery_min_apply_delay): a replica lagging by seconds, on purpose. */
  replicaDelayMs?: number;
  /** Extra environment for every app instance. */
  env?: Record<string, string>;
  /** Build the app first when the sources are newer than the build (default true). */
  build?: boolean;
  /** Every instance appends its logs to this file (else each to `app-N.log` in `dir`). */
  logFile?: string;
  log?: (line: string) => void;
}

export interface ClusterInstance {
  index: number;
  url: string;
  logFile: string;
  server: NextServer;
  /** SIGKILL, as a crash would: no graceful shutdown. */
  kill(): void;
}

export interface Cluster {
  /** The load balancer's URL: what clients use. */
  url: string;
  instances: ClusterInstance[];
  primaryUrl: string;
  replicaUrl: string;
  redisUrl: string;
  chain: LocalChain;
  secretKey: string;
  publishableKey: string;
  metricsToken: string;
  authSecret: string;
  dir: string;
  /** The environment every instance runs with (what a script needs to act on the same database and chain). */
  env: Record<string, string>;
  /** Starts instance `index` again after it was killed or stopped. */
  restart(index: number): Promise<ClusterInstance>;
  stop(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary (as `postgres` when we are root) and throws with its output if it fails. */
function pgRun(binary: string, args: string[]): void {
  const command = join(PG_BIN, binary);
  const result = asRoot
    ? spawnSync("runuser", ["-u", "postgres", "--", command, ...args], { encoding: "utf8" })
    : spawnSync(command, args, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${binary} ${args.join(" ")} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  }
}

function ownedByPostgres(path: string): void {
  mkdirSync(path, { recursive: true });
  if (!asRoot) return;
  const id = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  chownSync(path, Number(id.stdout.trim()), Number(gid.stdout.trim()));
  chmodSync(path, 0o700);
}

interface Postgres {
  url: string;
  stop(): void;
}

function startPostgres(dataDir: string, port: number, logFile: string, socketDir: string): Postgres {
  pgRun("pg_ctl", ["-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", `-p ${port} -k ${socketDir}`, "start"]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}`,
    stop: () => pgRun("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"]),
  };
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

function spawnLogged(command: string, args: string[], logFile: string): ChildProcess {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  const out = (chunk: Buffer) => writeFileSync(logFile, chunk, { flag: "a" });
  child.stdout?.on("data", out);
  child.stderr?.on("data", out);
  return child;
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

export function haproxyConfig(port: number, backends: string[]): string {
  return `global
  maxconn 4096

defaults
  mode http
  option forwardfor
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
  timeout http-keep-alive 10s
  retries 2
  option redispatch

frontend app
  bind 127.0.0.1:${port}
  default_backend instances

backend instances
  balance roundrobin
  option httpchk GET /api/health
  http-check expect status 200
  default-server inter 1s fall 2 rise 1
${backends.map((address, i) => `  server app${i + 1} ${address} check`).join("\n")}
`;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? ((line: string) => console.log(line));
  const temporary = options.dir === undefined;
  const dir = resolve(options.dir ?? mkdtempSync(join(tmpdir(), "referral-engine-cluster-")));
  mkdirSync(dir, { recursive: true });
  if (asRoot) chmodSync(dir, 0o755);
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log(`stopping: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (temporary) rmSync(dir, { recursive: true, force: true });
  };
  // Interrupted while starting: stop what is already running before exiting.
  const interrupted = (signal: NodeJS.Signals) =>
    void stopAll().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const started = () => {
    process.removeListener("SIGINT", interrupted);
    process.removeListener("SIGTERM", interrupted);
  };

  try {
    if (options.build !== false && buildIsStale()) {
      log("Building the app…");
      build();
    } else if (!hasBuild()) {
      throw new Error("No production build: run `npm run build` first");
    }

    // PostgreSQL primary, streaming to a replica.
    // One folder owned by the server's OS user: data folders, sockets and logs.
    const pgDir = join(dir, "pg");
    ownedByPostgres(pgDir);
    const socketDir = join(pgDir, "sockets");
    const primaryDir = join(pgDir, "primary");
    const replicaDir = join(pgDir, "replica");
    ownedByPostgres(socketDir);
    ownedByPostgres(primaryDir);
    pgRun("initdb", ["-D", primaryDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]);
    writeFileSync(
      join(primaryDir, "postgresql.auto.conf"),
      [
        "listen_addresses = '127.0.0.1'",
        "max_connections = 300",
        "wal_level = replica",
        "max_wal_senders = 4",
        "wal_keep_size = '256MB'",
        "hot_standby = on",
        // The replica's long snapshots (an export streaming for minutes) hold back the primary's cleanup instead
        // of being cancelled by its replay after max_standby_streaming_delay (docs/exports.md).
        "hot_standby_feedback = on",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(primaryDir, "pg_hba.conf"),
      "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n",
    );
    const primaryPort = await freePort();
    const primary = startPostgres(primaryDir, primaryPort, join(pgDir, "primary.log"), socketDir);
    cleanups.push(() => primary.stop());
    await query(`${primary.url}/postgres`, "CREATE DATABASE referral");
    const primaryUrl = `${primary.url}/referral`;
    await applyMigrations(primaryUrl, { log: () => undefined });
    log(`PostgreSQL primary on 127.0.0.1:${primaryPort}`);

    ownedByPostgres(replicaDir);
    pgRun("pg_basebackup", [
      "-h",
      "127.0.0.1",
      "-p",
      String(primaryPort),
      "-U",
      "postgres",
      "-D",
      replicaDir,
      "-R",
      "-X",
      "stream",
      "--checkpoint=fast",
    ]);
    if (options.replicaDelayMs) {
      writeFileSync(
        join(replicaDir, "postgresql.auto.conf"),
        `recovery_min_apply_delay = '${options.replicaDelayMs}ms'\n`,
        {
          flag: "a",
        },
      );
    }
    const replicaPort = await freePort();
    const replica = startPostgres(replicaDir, replicaPort, join(pgDir, "replica.log"), socketDir);
    cleanups.push(() => replica.stop());
    const replicaUrl = `${replica.url}/referral`;
    await waitFor("the replica", async () => (await query(replicaUrl, "SELECT pg_is_in_recovery() AS r")).rows[0].r);
    log(
      `PostgreSQL replica on 127.0.0.1:${replicaPort}${options.replicaDelayMs ? `, ${options.replicaDelayMs} ms behind` : ""}`,
    );

    // Redis of its own, so tests never share counters with anything else on the machine.
    const redisPort = await freePort();
    const redis = spawnLogged(
      REDIS,
      ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
      join(dir, "redis.log"),
    );
    cleanups.push(() => stopChild(redis));
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    await waitFor("redis", async () => {
      const probe = spawnSync("redis-cli", ["-p", String(redisPort), "ping"], { encoding: "utf8" });
      return probe.stdout.trim() === "PONG";
    });
    log(`Redis on 127.0.0.1:${redisPort}`);

    const chain = await startLocalChain({ quiet: true });
    cleanups.push(() => chain.stop());
    log(`anvil on ${chain.rpcUrl} (test USDC ${chain.usdcAddress})`);

    const port = options.port ?? (await freePort());
    const given = { ...process.env, ...options.env };
    const secretKey = given.BOOTSTRAP_SECRET_KEY ?? `sk_cluster_${randomBytes(24).toString("hex")}`;
    const publishableKey = given.BOOTSTRAP_PUBLISHABLE_KEY ?? `pk_cluster_${randomBytes(24).toString("hex")}`;
    const metricsToken = given.METRICS_TOKEN ?? randomBytes(24).toString("hex");
    const authSecret = given.AUTH_SECRET ?? randomBytes(32).toString("hex");
    const env: Record<string, string> = {
      DATABASE_URL: primaryUrl,
      DATABASE_READ_URL: replicaUrl,
      REDIS_URL: redisUrl,
      AUTH_SECRET: authSecret,
      BOOTSTRAP_SECRET_KEY: secretKey,
      BOOTSTRAP_PUBLISHABLE_KEY: publishableKey,
      METRICS_TOKEN: metricsToken,
      PAYOUT_RPC_URL: chain.rpcUrl,
      PAYOUT_PRIVATE_KEY: chain.payoutPrivateKey,
      PAYOUT_CHAIN_ID: String(chain.chainId),
      USDC_ADDRESS: chain.usdcAddress,
      // haproxy is the only client of the instances: the client's address is its X-Forwarded-For.
      TRUST_PROXY: "true",
      // The address people open is haproxy's: what Sign-In with Ethereum messages name (docs/security.md).
      AUTH_URL: `http://127.0.0.1:${port}`,
      ...options.env,
    };

    const ports: number[] = [];
    for (let i = 0; i < options.instances; i++) ports.push(await freePort());
    const instances: ClusterInstance[] = [];
    const launch = async (index: number): Promise<ClusterInstance> => {
      const logFile = options.logFile ?? join(dir, `app-${index + 1}.log`);
      const server = await startNextServer({ port: ports[index]!, env, quiet: true, logFile });
      const instance: ClusterInstance = {
        index,
        url: server.url,
        logFile,
        server,
        kill: () => void server.process.kill("SIGKILL"),
      };
      instances[index] = instance;
      return instance;
    };
    // One at a time: two cold starts at once on two cores each take as long as both in a row.
    for (let i = 0; i < options.instances; i++) {
      await launch(i);
      log(`app ${i + 1} on 127.0.0.1:${ports[i]}`);
    }
    cleanups.push(async () => {
      for (const instance of instances) await instance.server.stop();
    });

    const config = join(dir, "haproxy.cfg");
    writeFileSync(
      config,
      haproxyConfig(
        port,
        ports.map((p) => `127.0.0.1:${p}`),
      ),
    );
    const haproxy = spawnLogged(HAPROXY, ["-db", "-f", config], join(dir, "haproxy.log"));
    cleanups.push(() => stopChild(haproxy));
    const url = `http://127.0.0.1:${port}`;
    await waitFor("haproxy", async () => (await fetch(`${url}/api/health`)).ok);

    started();
    return {
      url,
      instances,
      primaryUrl,
      replicaUrl,
      redisUrl,
      chain,
      secretKey,
      publishableKey,
      metricsToken,
      authSecret,
      dir,
      env,
      restart: launch,
      stop: stopAll,
    };
  } catch (error) {
    started();
    await stopAll();
    throw error;
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      instances: { type: "string", default: "2" },
      port: { type: "string" },
      dir: { type: "string" },
      "replica-delay-ms": { type: "string" },
      "no-build": { type: "boolean", default: false },
    },
  });
  const instances = Number(values.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 16) throw new Error("--instances takes 1 to 16");
  const dir = values.dir ?? (process.env.DATA_DIR ? join(process.env.DATA_DIR, "cluster") : undefined);
  if (dir && existsSync(join(dir, "pg"))) {
    throw new Error(`${dir} already holds a cluster's data: remove it, or pass another --dir`);
  }
  const cluster = await startCluster({
    instances,
    port: values.port ? Number(values.port) : undefined,
    dir,
    replicaDelayMs: values["replica-delay-ms"] ? Number(values["replica-delay-ms"]) : undefined,
    build: !values["no-build"],
  });
  onShutdown(() => cluster.stop());
  console.log(`
Cluster of ${instances} instance(s) is running.

  URL               ${cluster.url}   (haproxy, round robin)
  instances         ${cluster.instances.map((i) => i.url).join("  ")}
  primary           ${cluster.primaryUrl}
  replica           ${cluster.replicaUrl}
  redis             ${cluster.redisUrl}
  chain             ${cluster.chain.rpcUrl}
  secret key        ${cluster.secretKey}
  publishable key   ${cluster.publishableKey}
  metrics token     ${cluster.metricsToken}
  logs              ${cluster.dir}

Ctrl-C stops everything.`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
