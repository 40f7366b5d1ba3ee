/**
 * `npm run bench`: the engine at scale, through HTTP against a production build (docs/benchmarks.md).
 * Not a test: it prints figures, writes bench/results.json and says which targets are met.
 *
 * It creates its own database on the PostgreSQL server (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
 * postgresql://postgres@127.0.0.1:5432/postgres), generates a power-law referral forest of --accounts accounts,
 * starts anvil and `npm start` (as an operator runs it), and measures:
 *   1. usage events, batched (1,000 a request, 4 clients) and single (32 clients): events/s, ledger rows/s, p50/p99,
 *      and the same 32 clients on GET /api/health (the framework's floor: routing, auth-free handler, one SELECT 1);
 *   2. the same rows written by one client with direct SQL, in the same run: the ceiling, and app / ceiling;
 *   3. right after the ingestion (no ANALYZE: the tables grew a minute ago), referral-stats of the largest network
 *      and of random accounts from 8 concurrent clients: p50/p99;
 *   4. a referral code applied to accounts with about 10,000 descendants;
 *   5. transactions and claims for --claims referrers against anvil: claims/s, each paid exactly once;
 *   6. the peak memory of everything `npm start` runs;
 *   7. the ledger exported as CSV (--export-rows, 1,000,000): rows/s and the server's RSS growth (scripts/bench/export.ts).
 * It prints each target met or missed and draws the figures as an SVG (bench/results.svg, or --chart).
 * Everything it started (server, anvil, database) is stopped on success, failure, Ctrl-C or --max-minutes.
 *
 *   npm run bench                                   # 1,000,000 accounts
 *   npm run bench -- --accounts 100000 --seconds 10 # a quick run
 *   flags: --accounts N --seconds S --stats-requests N --stats-clients N --chart PATH --claims N --phases batched,single,transactions,floor,direct,stats,apply,claims
 *          --seed N --port N --no-build --check --keep --max-minutes N --instances N (through haproxy to N instances
 *          on a cluster of its own: scripts/cluster.ts) --streams N (live phase, 1,000) --without-notify (the live-update
 *          triggers off, to measure what they cost) --export-rows N (export phase, 1,000,000)
 */
import { execSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { freemem, loadavg, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { cliActor } from "@/lib/audit/log";
import { createApiKey } from "@/lib/auth/keys";
import { createPrisma } from "@/lib/db/client";
import { checkRewardsConservation } from "@/lib/rewards/check";
import { benchClaims, type ClaimsResult } from "./bench/claims";
import { benchExport, type ExportResult } from "./bench/export";
import { benchLive, type LiveResult } from "./bench/live";
import { createBenchDatabase } from "./bench/database";
import { directCeiling, type CeilingResult } from "./bench/direct";
import { ingestTransactions, ingestUsage, sampleUsers, type Earner, type IngestionResult } from "./bench/events";
import { planForest, writeForest, type Forest } from "./bench/forest";
import { renderChart } from "./bench/chart";
import { call, closedLoop, concurrent, type Latencies, type LoadResult } from "./bench/load";
import { treeCpuMs, watchMemory, type MemoryPeak } from "./bench/memory";
import { databaseCpu, databaseCpuBetween } from "./bench/database-cpu";
import { startCluster, type Cluster } from "./cluster";
import { startLocalChain, type LocalChain } from "./local-chain";
import { npmStart } from "./bench/npm-start";
import { build, buildIsStale, hasBuild, projectRoot, type NextServer } from "./next-server";

const PHASES = [
  "batched",
  "single",
  "transactions",
  "floor",
  "direct",
  "stats",
  "apply",
  "claims",
  "live",
  "export",
] as const;
type Phase = (typeof PHASES)[number];

const { values: flags } = parseArgs({
  options: {
    accounts: { type: "string", default: "1000000" },
    seconds: { type: "string", default: "20" },
    "stats-requests": { type: "string", default: "800" },
    "stats-clients": { type: "string", default: "8" },
    claims: { type: "string", default: "1000" },
    phases: { type: "string", default: PHASES.join(",") },
    seed: { type: "string", default: "1" },
    port: { type: "string" },
    "no-build": { type: "boolean", default: false },
    check: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    "max-minutes": { type: "string", default: "30" },
    instances: { type: "string" },
    streams: { type: "string", default: "1000" },
    "without-notify": { type: "boolean", default: false },
    chart: { type: "string", default: "bench/results.svg" },
    "export-rows": { type: "string", default: "1000000" },
  },
});

function wholeNumber(name: string, raw: string | undefined, min: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return value;
}

const accounts = wholeNumber("accounts", flags.accounts, 1000);
const seconds = wholeNumber("seconds", flags.seconds, 1);
const statsRequests = wholeNumber("stats-requests", flags["stats-requests"], 1);
const statsClients = wholeNumber("stats-clients", flags["stats-clients"], 1);
const claimReferrers = wholeNumber("claims", flags.claims, 1);
const seed = wholeNumber("seed", flags.seed, 0);
const maxMinutes = wholeNumber("max-minutes", flags["max-minutes"], 1);
/** Through haproxy to this many instances on a cluster of its own (scripts/cluster.ts), instead of one server. */
const instances = flags.instances === undefined ? undefined : wholeNumber("instances", flags.instances, 1);
const streams = wholeNumber("streams", flags.streams, 1);
const exportRows = wholeNumber("export-rows", flags["export-rows"], 1);
const port = flags.port === undefined ? 3900 + (process.pid % 90) : wholeNumber("port", flags.port, 1);
const phases = new Set(flags.phases.split(",").map((p) => p.trim()));
for (const p of phases)
  if (!PHASES.includes(p as Phase)) throw new Error(`unknown phase "${p}"; phases: ${PHASES.join(", ")}`);
const serverUrl =
  process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

/** What is running, stopped in reverse order. */
const cleanups: { name: string; run: () => Promise<void> }[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const { name, run } of cleanups.reverse()) {
      await run().catch((error: unknown) => console.error(`bench: stopping ${name} failed:`, error));
    }
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, cleaning up…`);
    void cleanup().then(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}
const watchdog = setTimeout(() => {
  console.error(`bench: still running after --max-minutes ${maxMinutes}; stopping.`);
  void cleanup().then(() => process.exit(124));
}, maxMinutes * 60_000);
watchdog.unref();

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

interface Results {
  startedAt: string;
  command: string;
  machine: {
    cpus: number;
    memoryGb: number;
    freeMemoryGb: number;
    postgres: string;
    node: string;
    loadBefore: number[];
  };
  settings: {
    accounts: number;
    seconds: number;
    statsRequests: number;
    statsClients: number;
    claims: number;
    seed: number;
    phases: string[];
  };
  forest?: Forest & { seconds: number };
  batched?: IngestionResult & { load: number[] };
  single?: IngestionResult & { load: number[] };
  transactions?: LoadResult & { eventsPerSecond: number; load: number[] };
  floor?: { requestsPerSecond: number; latency: Latencies; failed: number; load: number[] };
  ceilings?: (CeilingResult & { load: number[] })[];
  ratios?: { batchedVsLedgerCeiling: number; batchedVsWriteSetCeiling: number };
  stats?: {
    clients: number;
    hub: Latencies & { network: number; requestsPerSecond: number; failed: number };
    sample: Latencies & { accounts: number; requestsPerSecond: number; failed: number };
    load: number[];
  };
  apply?: {
    targets: { id: string; descendants: number; direct: number; secondary: number; ms: number }[];
    load: number[];
  };
  claims?: ClaimsResult & { load: number[] };
  live?: LiveResult & { load: number[] };
  export?: ExportResult & { load: number[] };
  memory?: MemoryPeak & { byPhase: Record<string, number> };
  /** The server's CPU (its whole process tree) per request of each phase, in ms: the framework's floor (the health
   * route) beside each route's, whatever else the machine is doing. */
  serverCpu?: Record<
    string,
    { requests: number; cpuMs: number; msPerRequest: number; databaseCpuMs?: number; databaseMsPerRequest?: number }
  >;
  conservation?: string[];
  targets?: { name: string; target: string; value: string; met: boolean | null }[];
  finishedAt?: string;
}

async function main(): Promise<void> {
  const results: Results = {
    startedAt: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
    machine: {
      cpus: Number(execSync("nproc").toString().trim()),
      memoryGb: Math.round(totalmem() / 2 ** 30),
      freeMemoryGb: Math.round(freemem() / 2 ** 30),
      postgres: "",
      node: process.version,
      loadBefore: load(),
    },
    settings: { accounts, seconds, statsRequests, statsClients, claims: claimReferrers, seed, phases: [...phases] },
  };

  if (!flags["no-build"] && buildIsStale()) {
    log("building the production app (sources are newer than the build)…");
    build();
  } else if (!hasBuild()) {
    throw new Error("no production build: run without --no-build");
  } else if (buildIsStale()) {
    log("warning: --no-build with sources newer than the build; measuring the existing build");
  }

  const lots = "1000000000";
  const serverEnv = {
    AUTH_SECRET: randomBytes(32).toString("hex"),
    JOBS_DISABLED: "true",
    RATE_LIMIT_SECRET_KEY_PER_MINUTE: lots,
    RATE_LIMIT_ACCOUNT_PER_MINUTE: lots,
    RATE_LIMIT_PUBLISHABLE_KEY_PER_MINUTE: lots,
    // anvil mines each transaction at once; the default 1 s poll would measure the poll, not the claim.
    PAYOUT_POLL_INTERVAL_MS: "100",
  };

  // A cluster is started before the forest: its PostgreSQL is its own.
  let cluster: Cluster | undefined;
  if (instances !== undefined) {
    log(`starting a cluster of ${instances} instance(s) behind haproxy…`);
    cluster = await startCluster({ instances, build: false, env: serverEnv, log });
    cleanups.push({ name: "cluster", run: () => cluster!.stop() });
  }
  const database = cluster
    ? { name: "the cluster's primary", url: cluster.primaryUrl }
    : await createBenchDatabase(serverUrl).then((created) => {
        cleanups.push({
          name: `database ${created.name}`,
          run: flags.keep ? async () => log(`kept ${created.url}`) : created.drop,
        });
        return created;
      });
  const db = createPrisma(database.url, { max: 4 });
  cleanups.push({ name: "bench connection pool", run: () => db.$disconnect() });
  const [version] = await db.$queryRawUnsafe<{ v: string }[]>(`SELECT split_part(version(), ' on ', 1) AS v`);
  results.machine.postgres = version!.v;
  // Keys as an operator makes them (`npm run keys`), stored in the database, which the server reads to verify them:
  // environment keys would skip that read.
  const secretKey = (await createApiKey(db, "SECRET", "bench", cliActor())).key;
  const publishableKey = (await createApiKey(db, "PUBLISHABLE", "bench", cliActor())).key;

  log(`generating a forest of ${accounts.toLocaleString("en")} accounts in ${database.name}…`);
  const forestStarted = performance.now();
  const forest = await writeForest(db, planForest(accounts, seed));
  results.forest = { ...forest, seconds: Math.round((performance.now() - forestStarted) / 100) / 10 };
  log(
    `forest: ${results.forest.seconds} s; largest network ${forest.hub.direct}/${forest.hub.secondary}/${forest.hub.tertiary}; ` +
      `depth ≤ ${forest.maxDepth}; ${(forest.referNobody * 100).toFixed(1)} % refer nobody`,
  );

  let chain: LocalChain | undefined = cluster?.chain;
  if (!chain && phases.has("claims")) {
    chain = await startLocalChain({ quiet: true, fundUsdc: 100_000_000n * 10n ** 6n });
    cleanups.push({ name: "anvil", run: () => chain!.stop() });
  }

  let server: NextServer;
  if (cluster) {
    server = cluster.instances[0]!.server;
  } else {
    log(`npm start on port ${port}…`);
    server = await npmStart({
      root: projectRoot,
      port,
      env: {
        DATABASE_URL: database.url,
        ...serverEnv,
        ...(chain && {
          PAYOUT_RPC_URL: chain.rpcUrl,
          PAYOUT_PRIVATE_KEY: chain.payoutPrivateKey,
          PAYOUT_CHAIN_ID: String(chain.chainId),
          USDC_ADDRESS: chain.usdcAddress,
        }),
      },
    });
    cleanups.push({ name: "next server", run: () => server.stop() });
  }
  // With a cluster: the first instance's process tree (each instance is alike).
  const memory = watchMemory(server.process.pid!);
  const memoryByPhase: Record<string, number> = {};
  const lap = (phase: string) => (memoryByPhase[phase] = memory.lap());
  const base = cluster?.url ?? server.url;
  const operator = { "x-api-key": secretKey };

  if (flags["without-notify"]) {
    // A/B of what live updates cost the writers: their notifying triggers off (docs/live-updates.md).
    for (const table of ["ledger_entry", "network_count", "fee_entry", "claim"]) {
      await db.$executeRawUnsafe(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    }
  }
  const earners: Earner[] = await sampleUsers(db, 200_000);
  log(`sampled ${earners.length.toLocaleString("en")} users to report usage for; warming up…`);
  await ingestUsage({ db, baseUrl: base, secretKey, earners, clients: 2, batch: 1000, seconds: 3, tag: "warm-b" });
  await ingestUsage({ db, baseUrl: base, secretKey, earners, clients: 8, batch: 1, seconds: 2, tag: "warm-s" });
  lap("start and warm-up");
  const serverCpu: NonNullable<Results["serverCpu"]> = {};
  results.serverCpu = serverCpu;
  // Measured on one server's tree: with a cluster, instance 1 serves only part of the requests.
  const serverPid = cluster ? undefined : server.process.pid!;
  const perRequest = (ms: number, requests: number) => Math.round((ms / requests) * 100) / 100;
  const cpuFrom = async () => {
    const start = serverPid === undefined ? 0 : treeCpuMs(serverPid);
    const databaseStart = await databaseCpu(db);
    return async (phase: string, requests: number) => {
      if (serverPid === undefined || requests === 0) return;
      const cpuMs = treeCpuMs(serverPid) - start;
      const databaseCpuMs = databaseCpuBetween(databaseStart, await databaseCpu(db));
      serverCpu[phase] = {
        requests,
        cpuMs,
        msPerRequest: perRequest(cpuMs, requests),
        ...(databaseCpuMs !== null && { databaseCpuMs, databaseMsPerRequest: perRequest(databaseCpuMs, requests) }),
      };
    };
  };

  if (phases.has("batched")) {
    log(`batched usage: 4 clients × 1,000 events per request for ${seconds} s…`);
    const cpu = await cpuFrom();
    const r = await ingestUsage({
      db,
      baseUrl: base,
      secretKey,
      earners,
      clients: 4,
      batch: 1000,
      seconds,
      tag: "batch",
    });
    await cpu("usage, 1,000-event batch", r.requests);
    results.batched = { ...r, load: load() };
    lap("batched");
    log(
      `  ${r.eventsPerSecond} events/s, ${r.ledgerRowsPerSecond} ledger rows/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.failed} failed`,
    );
  }
  if (phases.has("single")) {
    log(`single usage: 32 clients × 1 event per request for ${seconds} s…`);
    const cpu = await cpuFrom();
    const r = await ingestUsage({
      db,
      baseUrl: base,
      secretKey,
      earners,
      clients: 32,
      batch: 1,
      seconds,
      tag: "single",
    });
    await cpu("usage, single event", r.requests);
    results.single = { ...r, load: load() };
    lap("single");
    log(`  ${r.eventsPerSecond} events/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.failed} failed`);
  }
  if (phases.has("stats")) {
    // Right after the ingestion, as users meet it: the aggregate tables grew from nothing in the last minute and
    // nothing here refreshes their statistics (autovacuum does it when it does); many dashboards at once.
    const stats = (id: string) =>
      call<{ network: { total: number } }>(base, `/api/user/${id}/referral-stats`, { headers: operator });
    const network = (await stats(forest.hub.id)).network.total;
    log(
      `referral-stats: ${statsRequests} calls for the largest network (${network.toLocaleString("en")}), ${statsRequests} for random users, ${statsClients} clients…`,
    );
    const hubCpu = await cpuFrom();
    const hub = await concurrent({
      clients: statsClients,
      count: statsRequests,
      send: async () => void (await stats(forest.hub.id)),
    });
    await hubCpu("referral-stats, largest network", hub.count);
    const sampleCpu = await cpuFrom();
    const sample = await concurrent({
      clients: statsClients,
      count: statsRequests,
      send: async (i) => void (await stats(earners[(i * 7919) % earners.length]!.id)),
    });
    await sampleCpu("referral-stats, random accounts", sample.count);
    for (const f of [...hub.failures, ...sample.failures]) log(`  failed: ${f}`);
    results.stats = {
      clients: statsClients,
      hub: { ...hub, network },
      sample: { ...sample, accounts: statsRequests },
      load: load(),
    };
    lap("stats");
    log(
      `  largest: p50 ${hub.p50} ms, p99 ${hub.p99} ms, ${hub.requestsPerSecond}/s; random: p50 ${sample.p50} ms, p99 ${sample.p99} ms, ${sample.requestsPerSecond}/s`,
    );
  }
  if (phases.has("transactions")) {
    log(`single transactions: 32 clients × 1 transaction per request for ${seconds} s…`);
    const cpu = await cpuFrom();
    const r = await ingestTransactions({ baseUrl: base, secretKey, earners, clients: 32, seconds, tag: "tx-single" });
    await cpu("transaction, single", r.requests);
    results.transactions = { ...r, load: load() };
    lap("transactions");
    log(`  ${r.eventsPerSecond} transactions/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.failed} failed`);
  }
  if (phases.has("floor")) {
    log(`floor: 32 clients on GET /api/health (one SELECT 1) for ${seconds} s…`);
    const cpu = await cpuFrom();
    const r = await closedLoop({
      clients: 32,
      seconds,
      send: async () => {
        await call(base, "/api/health");
        return 1;
      },
    });
    await cpu("GET /api/health (the floor)", r.requests);
    results.floor = {
      requestsPerSecond: Math.round(r.units / r.seconds),
      latency: r.latency,
      failed: r.failed,
      load: load(),
    };
    lap("floor");
    log(`  ${results.floor.requestsPerSecond} requests/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`);
  }
  if (phases.has("direct")) {
    results.ceilings = [];
    for (const ceiling of ["ledger", "write set"] as const) {
      log(`direct SQL ceiling (${ceiling}): one client, 1,000 events per statement set, for ${seconds} s…`);
      const r = await directCeiling({
        url: database.url,
        ceiling,
        earners,
        seconds,
        batch: 1000,
        tag: `direct-${ceiling.replace(" ", "")}`,
      });
      results.ceilings.push({ ...r, load: load() });
      log(`  ${r.eventsPerSecond} events/s, ${r.ledgerRowsPerSecond} ledger rows/s`);
    }
    if (results.batched) {
      const ratio = (c: CeilingResult) =>
        Math.round((results.batched!.ledgerRowsPerSecond / c.ledgerRowsPerSecond) * 1000) / 1000;
      results.ratios = {
        batchedVsLedgerCeiling: ratio(results.ceilings[0]!),
        batchedVsWriteSetCeiling: ratio(results.ceilings[1]!),
      };
    }
  }

  if (phases.has("apply")) {
    // Load the route's module first (a refused apply writes nothing), so the first measured apply does not pay it.
    await call(base, "/api/referrals/apply", {
      headers: operator,
      body: { code: "usr_unknown", accountId: forest.applyCode },
      expected: 404,
    });
    const targets = [];
    for (const target of forest.applyTargets) {
      const t0 = performance.now();
      await call(base, "/api/referrals/apply", {
        headers: operator,
        body: { code: forest.applyCode, accountId: target.id },
      });
      targets.push({
        id: target.id,
        descendants: target.descendants,
        direct: target.direct,
        secondary: target.secondary,
        ms: Math.round(performance.now() - t0),
      });
    }
    results.apply = { targets, load: load() };
    lap("apply");
    log(`apply-code on ${targets.map((t) => `${t.descendants} descendants: ${t.ms} ms`).join("; ")}`);
  }

  if (phases.has("claims") && chain) {
    log(`perpetual earnings: transactions and claims for ${claimReferrers} referrers (16 clients) against anvil…`);
    const r = await benchClaims({
      db,
      baseUrl: base,
      secretKey,
      publishableKey,
      chain,
      referrers: claimReferrers,
      clients: 16,
    });
    results.claims = { ...r, load: load() };
    lap("claims");
    log(
      `  ${r.claimsPerSecond} claims/s (p50 ${r.claimLatency.p50} ms, p99 ${r.claimLatency.p99} ms), ${JSON.stringify(r.statuses)}; paid exactly once: ${r.paidExactlyOnce}`,
    );
    for (const p of r.problems) log(`  problem: ${p}`);
  }

  if (phases.has("live")) {
    log(`live updates: ${streams} streams open on one instance, then events for their accounts…`);
    // The bench mints the streams' bearer tokens itself, with the server's secret.
    process.env.AUTH_SECRET = serverEnv.AUTH_SECRET;
    const r = await benchLive({
      baseUrl: server.url,
      serverPid: server.process.pid!,
      accounts: earners.slice(0, streams).map((e) => e.id),
      secretKey,
      publishableKey,
    });
    results.live = { ...r, load: load() };
    lap("live");
    log(
      `  RSS ${r.rssBeforeMb} → ${r.rssAfterMb} MB (${r.rssPerStreamKb} kB a stream); one event p50 ${r.single.p50} ms, p99 ${r.single.p99} ms; a batch to all ${r.streams}: last heard after ${r.fanOut.last} ms (${r.fanOut.missing} missing)`,
    );
  }

  if (phases.has("export")) {
    log(`export: the ledger at ${exportRows.toLocaleString("en")} rows, GET /api/exports/ledger.csv read to its end…`);
    const r = await benchExport({
      db,
      baseUrl: server.url,
      serverPid: server.process.pid!,
      secretKey,
      rows: exportRows,
      log,
    });
    results.export = { ...r, load: load() };
    lap("export");
    log(
      `  ${r.rows.toLocaleString("en")} rows (${Math.round(r.bytes / 2 ** 20)} MB) in ${r.seconds} s: ${r.rowsPerSecond} rows/s; RSS ${r.rssBeforeMb} → peak ${r.rssPeakMb} MB (+${r.rssGrowthMb} MB)`,
    );
  }

  results.memory = { ...memory.stop(), byPhase: memoryByPhase };
  if (flags.check) {
    log("conservation check over the whole database…");
    results.conservation = await checkRewardsConservation(db);
  }
  results.targets = targets(results);
  results.finishedAt = new Date().toISOString();
  printTable(results);
  mkdirSync(join(projectRoot, "bench"), { recursive: true });
  writeFileSync(join(projectRoot, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const chartPath = resolve(projectRoot, flags.chart);
  mkdirSync(dirname(chartPath), { recursive: true });
  writeFileSync(chartPath, chart(results));
  log(`wrote bench/results.json and ${relative(projectRoot, chartPath)}`);
}

function targets(r: Results): NonNullable<Results["targets"]> {
  const list: NonNullable<Results["targets"]> = [];
  const add = (name: string, target: string, value: string, met: boolean | null) =>
    list.push({ name, target, value, met });
  if (r.stats) {
    add(
      `referral-stats p99, largest network (${r.stats.hub.network.toLocaleString("en")}), ${r.stats.clients} clients`,
      "≤ 50 ms",
      `${r.stats.hub.p99} ms`,
      r.stats.hub.p99 <= 50 && r.stats.hub.failed === 0,
    );
    add(
      `referral-stats p99, random accounts, ${r.stats.clients} clients`,
      "≤ 50 ms",
      `${r.stats.sample.p99} ms`,
      r.stats.sample.p99 <= 50 && r.stats.sample.failed === 0,
    );
  }
  if (r.single)
    add("single-event p99, 32 clients", "≤ 50 ms", `${r.single.latency.p99} ms`, r.single.latency.p99 <= 50);
  if (r.floor) add("  (same clients on GET /api/health)", "(reference)", `${r.floor.latency.p99} ms`, null);
  const floorCpu = r.serverCpu?.["GET /api/health (the floor)"];
  const singleCpu = r.serverCpu?.["usage, single event"];
  if (floorCpu && singleCpu)
    add(
      "  (server CPU per request: the floor, a single event)",
      "(reference)",
      `${floorCpu.msPerRequest}, ${singleCpu.msPerRequest} ms`,
      null,
    );
  if (r.ratios) {
    add(
      "batched ledger rows ÷ bare ledger insert",
      "≥ 0.40",
      r.ratios.batchedVsLedgerCeiling.toFixed(2),
      r.ratios.batchedVsLedgerCeiling >= 0.4,
    );
    add(
      "batched ledger rows ÷ direct SQL write set",
      "≥ 0.40",
      r.ratios.batchedVsWriteSetCeiling.toFixed(2),
      r.ratios.batchedVsWriteSetCeiling >= 0.4,
    );
  }
  if (r.batched)
    add(
      "batched usage ingestion",
      "≥ 5,000 events/s",
      `${r.batched.eventsPerSecond} events/s`,
      r.batched.eventsPerSecond >= 5000,
    );
  if (r.memory)
    add(
      `peak RSS of everything \`npm start\` runs (${r.memory.processes} processes)`,
      "≤ 600 MiB",
      `${r.memory.peakTreeRssMb} MiB`,
      r.memory.peakTreeRssMb <= 600,
    );
  if (r.apply) {
    const worst = Math.max(...r.apply.targets.map((t) => t.ms));
    const size = Math.min(...r.apply.targets.map((t) => t.descendants));
    add(
      `apply-code, ${size.toLocaleString("en")}+ descendants (worst of ${r.apply.targets.length})`,
      "≤ 200 ms (10,000 descendants)",
      `${worst} ms`,
      size >= 9_000 ? worst <= 200 : null,
    );
  }
  if (r.claims) add("claims paid exactly once", "all", `${r.claims.paidExactlyOnce}`, r.claims.paidExactlyOnce);
  if (r.export) {
    add(
      `ledger export of ${r.export.rows.toLocaleString("en")} rows: RSS growth`,
      "< 50 MB",
      `${r.export.rssGrowthMb} MB`,
      r.export.rows >= 1_000_000 ? r.export.rssGrowthMb < 50 : null,
    );
  }
  if (r.conservation)
    add("conservation check", "no differences", `${r.conservation.length} differences`, r.conservation.length === 0);
  return list;
}

/** The figures as bench/results.svg (or --chart): latency distributions and throughputs, targets marked. */
function chart(r: Results): string {
  const latencies: { name: string; latency: Latencies }[] = [];
  if (r.stats) {
    latencies.push({ name: `stats, largest network (${r.stats.clients} clients)`, latency: r.stats.hub });
    latencies.push({ name: `stats, random accounts (${r.stats.clients} clients)`, latency: r.stats.sample });
  }
  if (r.single) latencies.push({ name: "usage, single event (32 clients)", latency: r.single.latency });
  if (r.floor) latencies.push({ name: "GET /api/health (32 clients)", latency: r.floor.latency });
  if (r.transactions) latencies.push({ name: "transaction, single (32 clients)", latency: r.transactions.latency });
  if (r.batched) latencies.push({ name: "usage, 1,000-event batch (4 clients)", latency: r.batched.latency });
  const groups: Parameters<typeof renderChart>[0]["groups"] = [];
  const ledgerCeiling = r.ceilings?.find((c) => c.ceiling === "ledger");
  if (r.batched)
    groups.push({
      title: "Batched ingestion",
      unit: "ledger rows/s",
      rows: [
        { name: "app, 4 × 1,000 events over HTTP", value: r.batched.ledgerRowsPerSecond },
        ...(r.ceilings ?? []).map((c) => ({ name: `direct SQL, ${c.ceiling}`, value: c.ledgerRowsPerSecond })),
      ],
      mark: ledgerCeiling && { value: 0.4 * ledgerCeiling.ledgerRowsPerSecond, label: "0.40 × bare ledger insert" },
    });
  const lone = [
    ...(r.single ? [{ name: "usage events, one a request", value: r.single.eventsPerSecond }] : []),
    ...(r.transactions ? [{ name: "transactions, one a request", value: r.transactions.eventsPerSecond }] : []),
    ...(r.floor ? [{ name: "GET /api/health (the floor)", value: r.floor.requestsPerSecond }] : []),
  ];
  if (lone.length > 0) groups.push({ title: "32 clients, one item a request", unit: "requests/s", rows: lone });
  if (r.stats)
    groups.push({
      title: `referral-stats, ${r.stats.clients} clients`,
      unit: "requests/s",
      rows: [
        { name: "largest network", value: r.stats.hub.requestsPerSecond },
        { name: "random accounts", value: r.stats.sample.requestsPerSecond },
      ],
    });
  const cpu = Object.entries(r.serverCpu ?? {}).filter(([phase]) => !phase.includes("batch"));
  if (cpu.length > 0)
    groups.push({
      title: "Server CPU per request",
      unit: "ms",
      rows: cpu.map(([phase, c]) => ({ name: phase, value: c.msPerRequest })),
    });
  const databaseCpuRows = cpu.flatMap(([phase, c]) =>
    c.databaseMsPerRequest === undefined ? [] : [{ name: phase, value: c.databaseMsPerRequest }],
  );
  if (databaseCpuRows.length > 0) groups.push({ title: "Database CPU per request", unit: "ms", rows: databaseCpuRows });
  if (r.memory)
    groups.push({
      title: "Peak RSS, whole process tree",
      unit: "MiB",
      rows: Object.entries(r.memory.byPhase).map(([phase, mb]) => ({ name: phase, value: mb })),
      mark: { value: 600, label: "600 MiB" },
    });
  const loads = [r.batched?.load, r.single?.load, r.stats?.load, r.floor?.load]
    .filter((l): l is number[] => l !== undefined)
    .map((l) => l[0]!);
  return renderChart({
    title: r.command,
    notes: [
      `${r.startedAt.slice(0, 16).replace("T", " ")} UTC; ${r.machine.cpus} cores, ${r.machine.postgres}, Node ${r.machine.node}; ` +
        `${r.forest?.accounts.toLocaleString("en") ?? "?"} accounts`,
      `load average before ${r.machine.loadBefore[0]}, after the phases ${loads.join(", ")}`,
      ...(r.targets ?? [])
        .filter((t) => t.met !== null)
        .map((t) => `${t.met ? "met   " : "MISSED"}  ${t.name.trim()}: ${t.value} (target ${t.target})`),
    ],
    latencies,
    latencyTarget: 50,
    groups,
  });
}

function printTable(r: Results): void {
  const rows: [string, string][] = [];
  const lat = (l: Latencies) => `p50 ${l.p50} ms, p99 ${l.p99} ms (n = ${l.count})`;
  rows.push([
    "machine",
    `${r.machine.cpus} cores, ${r.machine.memoryGb} GB, ${r.machine.postgres}, Node ${r.machine.node}, load before ${r.machine.loadBefore.join(" ")}`,
  ]);
  if (r.forest)
    rows.push([
      "forest",
      `${r.forest.accounts.toLocaleString("en")} accounts, generated in ${r.forest.seconds} s; largest network ${(r.forest.hub.direct + r.forest.hub.secondary + r.forest.hub.tertiary).toLocaleString("en")}`,
    ]);
  if (r.batched)
    rows.push([
      "usage, batched (4 × 1,000)",
      `${r.batched.eventsPerSecond} events/s, ${r.batched.ledgerRowsPerSecond} ledger rows/s, ${lat(r.batched.latency)} per request, load ${r.batched.load.join(" ")}`,
    ]);
  if (r.single)
    rows.push([
      "usage, single (32 clients)",
      `${r.single.eventsPerSecond} events/s, ${r.single.ledgerRowsPerSecond} ledger rows/s, ${lat(r.single.latency)}, load ${r.single.load.join(" ")}`,
    ]);
  if (r.transactions)
    rows.push([
      "transactions, single (32 clients)",
      `${r.transactions.eventsPerSecond} transactions/s, ${lat(r.transactions.latency)}, load ${r.transactions.load.join(" ")}`,
    ]);
  if (r.floor)
    rows.push([
      "floor: GET /api/health (32)",
      `${r.floor.requestsPerSecond} requests/s, ${lat(r.floor.latency)}, load ${r.floor.load.join(" ")}`,
    ]);
  for (const c of r.ceilings ?? [])
    rows.push([
      `direct SQL, ${c.ceiling}`,
      `${c.eventsPerSecond} events/s, ${c.ledgerRowsPerSecond} ledger rows/s, load ${c.load.join(" ")}`,
    ]);
  if (r.ratios)
    rows.push([
      "app / direct SQL",
      `${(r.ratios.batchedVsWriteSetCeiling * 100).toFixed(0)} % of the write set, ${(r.ratios.batchedVsLedgerCeiling * 100).toFixed(0)} % of ledger rows alone`,
    ]);
  if (r.stats) {
    rows.push([
      `stats, largest network, ${r.stats.clients} clients`,
      `${lat(r.stats.hub)}, ${r.stats.hub.requestsPerSecond}/s, load ${r.stats.load.join(" ")}`,
    ]);
    rows.push([
      `stats, random accounts, ${r.stats.clients} clients`,
      `${lat(r.stats.sample)}, ${r.stats.sample.requestsPerSecond}/s`,
    ]);
  }
  for (const t of r.apply?.targets ?? [])
    rows.push([
      `apply-code, ${t.descendants} descendants`,
      `${t.ms} ms (${t.direct} direct, ${t.secondary} secondary moved)`,
    ]);
  if (r.claims) {
    rows.push(["transactions", `${r.claims.transactions} in batches of 1,000: ${r.claims.transactionsPerSecond}/s`]);
    rows.push([
      `claims (${r.claims.claimClients} clients)`,
      `${r.claims.referrers} referrers: ${r.claims.claimsPerSecond} claims/s, ${lat(r.claims.claimLatency)}, ${JSON.stringify(r.claims.statuses)}, paid exactly once: ${r.claims.paidExactlyOnce}`,
    ]);
  }
  if (r.live) {
    rows.push([
      `live: ${r.live.streams} streams, one instance`,
      `RSS ${r.live.rssBeforeMb} → ${r.live.rssAfterMb} MB (${r.live.rssPerStreamKb} kB a stream), opened in ${r.live.openSeconds} s`,
    ]);
    rows.push(["live: one event → its stream", `${lat(r.live.single)} after the write's answer`]);
    rows.push([
      `live: one batch → ${r.live.streams} streams`,
      `first ${r.live.fanOut.first} ms, p50 ${r.live.fanOut.p50} ms, last ${r.live.fanOut.last} ms, ${r.live.fanOut.missing} missing`,
    ]);
    rows.push(["live: streams left open after the clients left", String(r.live.openAfterClose)]);
  }
  for (const [phase, c] of Object.entries(r.serverCpu ?? {}))
    rows.push([
      `server CPU per request: ${phase}`,
      `${c.msPerRequest} ms (${c.cpuMs} ms over ${c.requests} requests)` +
        (c.databaseMsPerRequest === undefined ? "" : `; database ${c.databaseMsPerRequest} ms (${c.databaseCpuMs} ms)`),
    ]);
  if (r.export)
    rows.push([
      `export: ledger.csv, ${r.export.rows.toLocaleString("en")} rows`,
      `${Math.round(r.export.bytes / 2 ** 20)} MB in ${r.export.seconds} s (${r.export.rowsPerSecond} rows/s, ${r.export.megabytesPerSecond} MB/s, first byte ${r.export.firstByteMs} ms); server RSS ${r.export.rssBeforeMb} → peak ${r.export.rssPeakMb} MB (+${r.export.rssGrowthMb} MB), after ${r.export.rssAfterMb} MB; load ${r.export.load.join(" ")}`,
    ]);
  if (r.memory) {
    const phases = Object.entries(r.memory.byPhase)
      .map(([phase, mb]) => `${phase} ${mb}`)
      .join(", ");
    rows.push([
      "app memory",
      `peak tree RSS ${r.memory.peakTreeRssMb} MiB (${r.memory.processes} processes; sum of their VmHWM ${r.memory.sumOfHighWaterMb} MiB); peak by phase (MiB): ${phases}`,
    ]);
    for (const p of r.memory.byProcess) rows.push(["  process", `${p.peakMb} MiB peak: ${p.command}`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log("");
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  console.log("");
  const tw = Math.max(...(r.targets ?? []).map((t) => t.name.length));
  for (const t of r.targets ?? []) {
    const verdict =
      t.met === null ? (t.target === "(reference)" ? "" : "n/a (smaller forest)") : t.met ? "MET" : "MISSED";
    console.log(`${t.name.padEnd(tw)}  ${t.value.padStart(12)}  target ${t.target.padEnd(30)} ${verdict}`);
  }
  console.log("");
}

main()
  .catch((error: unknown) => {
    console.error("bench failed:", error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    // Keep-alive sockets to the stopped server would otherwise hold the process open.
    process.exit();
  });
