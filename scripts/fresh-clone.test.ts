/**
 * The README's first command, the way a newcomer meets it: a clone of the committed HEAD in a temporary folder
 * (nothing generated, nothing built, no `.data`), `npm install` there from the npm cache, then
 * - `npm run demo` with its own DATA_DIR and free ports: health answers, the demo user's balance read through the
 *   API (a bearer token minted with the demo's secret key, read with its publishable key) is the Perpetual Earnings
 *   example with a claim paid more than a week ago behind it, 16 concurrent conflicting writes on its embedded
 *   database get one account and no error, Ctrl-C — SIGINT to the process group, as a terminal
 *   sends it — stops every process it started and frees every port it held, and `npm run ledger:check` finds the
 *   demo's books balanced;
 * - `npm run db:migrate`, `npm run build` and `npm start` on a fresh PostgreSQL database (DATABASE_URL): the app
 *   serves it, and Ctrl-C stops it the same way.
 * One clone serves both. It takes minutes (an install and two production builds), hence the long timeouts.
 * Only what is committed is cloned: uncommitted changes are not in what this tests.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEmptyTestDatabase, type EmptyTestDatabase } from "@/lib/testing/db";
import { freePort } from "./free-port";
import { projectRoot } from "./next-server";

const MINUTE = 60_000;

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-C", cwd, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
}

let head: string | undefined;
let uncommitted = "";
try {
  head = git(projectRoot, "rev-parse", "HEAD").trim();
  uncommitted = git(projectRoot, "status", "--porcelain").trim();
} catch {
  // Not a git checkout (a source archive): there is no committed state to clone.
}

/** A newcomer's shell: none of this test run's settings (NODE_ENV=test, DATABASE_URL, npm_config_*). */
function newcomerEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const keep = ["PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR", "SHELL"];
  const env: Record<string, string | undefined> = { NEXT_TELEMETRY_DISABLED: "1" };
  for (const [name, value] of Object.entries(process.env)) {
    if (keep.includes(name) || /^(https?|no)_proxy$/i.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

interface Run {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  exited: Promise<number | null>;
}

/** `npm <args>` in its own process group (pgid = its pid), as a terminal's foreground job is. */
function npm(cwd: string, args: string[], env: Record<string, string | undefined>): Run {
  // Next's types declare NODE_ENV always set; a newcomer's shell has none.
  const processEnv = env as NodeJS.ProcessEnv;
  const child = spawn("npm", args, { cwd, env: processEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  // Synchronous by necessity (an "exit" listener cannot await): a worker that exits midway (a timeout) leaves no
  // clone running.
  const killOnExit = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  process.on("exit", killOnExit);
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => {
      process.off("exit", killOnExit);
      resolve(code);
    }),
  );
  return { child, output: () => output, exited };
}

function tail(text: string, chars = 4000): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}

async function npmSucceeds(cwd: string, args: string[], env: Record<string, string | undefined>): Promise<void> {
  const run = npm(cwd, args, env);
  const code = await run.exited;
  if (code !== 0) throw new Error(`npm ${args.join(" ")} exited with ${code}:\n${tail(run.output())}`);
}

/** pid → (parent, process group) of every process on the machine. */
function processTable(): Map<number, { ppid: number; pgid: number; args: string }> {
  const table = new Map<number, { ppid: number; pgid: number; args: string }>();
  for (const line of execFileSync("ps", ["-A", "-o", "pid=,ppid=,pgid=,args="], { encoding: "utf8" }).split("\n")) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (match) table.set(Number(match[1]), { ppid: Number(match[2]), pgid: Number(match[3]), args: match[4]! });
  }
  return table;
}

/** Every process a job started: its process group and, should one have left the group, its descendants. */
function jobProcesses(leader: number): Map<number, string> {
  const table = processTable();
  const found = new Map<number, string>();
  for (const [pid, p] of table) if (p.pgid === leader) found.set(pid, p.args);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, p] of table) {
      if (!found.has(pid) && found.has(p.ppid)) {
        found.set(pid, p.args);
        grew = true;
      }
    }
  }
  return found;
}

function alive(pids: Iterable<number>): number[] {
  const table = processTable();
  return [...pids].filter((pid) => table.has(pid));
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits for `/api/health` to answer 200; fails with the job's output if it exits first. */
async function healthy(run: Run, url: string, timeoutMs: number): Promise<void> {
  await until(`${url}/api/health answers 200`, timeoutMs, async () => {
    if (run.child.exitCode !== null) {
      throw new Error(`exited with ${run.child.exitCode} before serving:\n${tail(run.output())}`);
    }
    const status = await fetch(`${url}/api/health`).then(
      (res) => res.status,
      () => 0,
    );
    return status === 200 ? true : undefined;
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Ctrl-C: SIGINT to the whole foreground process group. Resolves once every process the job had started is gone
 * and none of its ports accepts connections.
 */
async function interrupt(run: Run, ports: number[]): Promise<void> {
  const leader = run.child.pid!;
  const started = jobProcesses(leader);
  expect(started.size, "the job's processes").toBeGreaterThan(0);
  process.kill(-leader, "SIGINT");
  await until("every process it started has exited", 30_000, async () =>
    alive(started.keys()).length === 0 ? true : undefined,
  ).catch(() => {
    const left = alive(started.keys()).map((pid) => `${pid} ${started.get(pid)}`);
    throw new Error(`still running after Ctrl-C:\n${left.join("\n")}\n${tail(run.output())}`);
  });
  for (const port of ports) expect(await listening(port), `port ${port} after Ctrl-C`).toBe(false);
}

describe.skipIf(head === undefined)("a fresh clone of HEAD", () => {
  let root: string;
  let clone: string;
  const jobs: Run[] = [];
  let database: EmptyTestDatabase | undefined;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "referral-engine-clone-"));
    clone = join(root, "repo");
  });

  beforeEach(({ onTestFailed }) => {
    if (uncommitted) {
      onTestFailed(() => {
        console.error(
          `fresh-clone.test.ts tests the committed HEAD ${head}; the working tree has changes it does not see:\n${uncommitted}`,
        );
      });
    }
  });

  afterAll(async () => {
    for (const job of jobs) {
      if (job.child.exitCode === null) {
        try {
          process.kill(-job.child.pid!, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
    }
    await database?.drop();
    // A clone with its node_modules and two builds: tens of thousands of files, which take a while on a busy disk.
    if (root) rmSync(root, { recursive: true, force: true });
  }, 5 * MINUTE);

  it(
    "installs from the lock with `npm install`",
    async () => {
      git(root, "clone", "--quiet", "--no-checkout", projectRoot, clone);
      git(clone, "checkout", "--quiet", "--detach", head!);
      await npmSucceeds(clone, ["install", "--prefer-offline", "--no-audit", "--no-fund"], newcomerEnv({}));
      expect(git(clone, "status", "--porcelain"), "the install leaves the tree as committed").toBe("");
    },
    10 * MINUTE,
  );

  it(
    "`npm run demo` serves the demo user's fees through the API, and Ctrl-C stops all of it",
    async () => {
      const [port, pgPort] = [await freePort(), await freePort()];
      const dataDir = join(root, "demo-data");
      const demo = npm(
        clone,
        ["run", "demo"],
        newcomerEnv({ DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort) }),
      );
      jobs.push(demo);
      const url = `http://127.0.0.1:${port}`;
      await healthy(demo, url, 15 * MINUTE);
      // The server answers a moment before the demo prints how to use it.
      await until("the demo prints its keys", MINUTE, async () =>
        demo.output().includes("Stop with Ctrl-C.") ? true : undefined,
      );

      const printed = demo.output();
      const userId = /Demo user .*\((usr_[A-Za-z0-9]+);/.exec(printed)?.[1];
      const chainPort = Number(/Local chain http:\/\/127\.0\.0\.1:(\d+)/.exec(printed)?.[1]);
      expect(userId, printed).toBeDefined();
      expect(chainPort, printed).toBeGreaterThan(0);
      const keys = JSON.parse(readFileSync(join(dataDir, "demo-secrets.json"), "utf8")) as {
        secretKey: string;
        publishableKey: string;
      };
      expect(printed).toContain(keys.secretKey);
      expect(printed).toContain(keys.publishableKey);

      const minted = await fetch(`${url}/api/auth/token`, {
        method: "POST",
        headers: { "x-api-key": keys.secretKey, "content-type": "application/json" },
        body: JSON.stringify({ accountId: userId }),
      });
      expect(minted.status).toBe(200);
      const { token } = (await minted.json()) as { token: string };
      const balance = await fetch(`${url}/api/referral-fees/balance`, {
        headers: { authorization: `Bearer ${token}`, "x-api-key": keys.publishableKey },
      });
      expect(balance.status).toBe(200);
      const body = (await balance.json()) as { currencyBreakdown: { currency: string; amount: number }[] };
      expect(body.currencyBreakdown.map(({ currency, amount }) => ({ currency, amount }))).toEqual([
        { currency: "KES", amount: 150 },
        { currency: "NGN", amount: 600 },
      ]);
      expect(body).toMatchObject({ canClaim: true });
      // A month of history: the older fees are in a claim paid more than a week ago.
      const claims = await fetch(`${url}/api/referral-fees/claims`, {
        headers: { authorization: `Bearer ${token}`, "x-api-key": keys.publishableKey },
      });
      const [past] = ((await claims.json()) as { claims: { status: string; createdAt: string }[] }).claims;
      expect(past).toMatchObject({ status: "COMPLETED" });
      expect(Date.now() - Date.parse(past!.createdAt)).toBeGreaterThan(7 * 86_400_000);

      // The embedded database is one PostgreSQL session: 16 concurrent conflicting writes, three times over, get
      // one account and the same answer each, never a 500 or another refusal (docs/security.md).
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all(
          Array.from({ length: 16 }, async () => {
            const res = await fetch(`${url}/api/accounts`, {
              method: "POST",
              headers: { "x-api-key": keys.secretKey, "content-type": "application/json" },
              body: JSON.stringify({ kind: "user", externalId: `concurrent-${round}` }),
            });
            return { status: res.status, body: (await res.json()) as { id?: string } };
          }),
        );
        const statuses = answers.map(({ status }) => status).sort();
        expect(statuses, JSON.stringify(answers)).toEqual([...Array<number>(15).fill(200), 201]);
        expect(new Set(answers.map(({ body }) => body.id)).size).toBe(1);
      }

      await interrupt(demo, [port, pgPort, chainPort]);
      // The history went through the same writers as live events: the books balance.
      await npmSucceeds(clone, ["run", "ledger:check"], newcomerEnv({ DATA_DIR: dataDir }));
    },
    20 * MINUTE,
  );

  it(
    "`npm run build && npm start` serves a fresh PostgreSQL database named by DATABASE_URL",
    async () => {
      database = await createEmptyTestDatabase();
      const port = await freePort();
      const env = newcomerEnv({ DATABASE_URL: database.url, PORT: String(port) });
      await npmSucceeds(clone, ["run", "db:migrate"], env);
      await npmSucceeds(clone, ["run", "build"], env);
      const start = npm(clone, ["start"], env);
      jobs.push(start);
      const url = `http://127.0.0.1:${port}`;
      await healthy(start, url, 2 * MINUTE);
      // Reads a table: the schema db:migrate applied is the one this build expects.
      expect((await fetch(`${url}/api/fx/rates`)).status).toBe(200);
      await interrupt(start, [port]);
    },
    15 * MINUTE,
  );
});
