/**
 * Builds the production Next.js app, and serves it as a child process the way `npm start` does (scripts/start.mjs,
 * one process): shared by the demo launcher, the end-to-end tests, the cluster and the benchmarks, so they all run
 * exactly what a deployment runs.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, closeSync, existsSync, openSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const nextBin = require.resolve("next/dist/bin/next");

const SOURCE_DIRS = ["app", "components", "lib", "public", "prisma"];
const SOURCE_FILES = ["next.config.mjs", "package.json", "postcss.config.mjs", "tsconfig.json"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === "generated" || entry === "node_modules") continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function hasBuild(): boolean {
  return existsSync(join(projectRoot, ".next", "BUILD_ID"));
}

/** True when there is no production build or a source file is newer than it. */
export function buildIsStale(): boolean {
  if (!hasBuild()) return true;
  const built = statSync(join(projectRoot, ".next", "BUILD_ID")).mtimeMs;
  return [...SOURCE_DIRS, ...SOURCE_FILES].some((p) => newestMtime(join(projectRoot, p)) > built);
}

export function build(): void {
  const run = (args: string[]) => {
    const result = spawnSync(process.execPath, args, {
      cwd: projectRoot,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (result.status !== 0) throw new Error(`${args.join(" ")} failed with exit code ${result.status}`);
  };
  run([require.resolve("tsx/cli"), "--conditions=react-server", join(projectRoot, "scripts", "prisma-generate.ts")]);
  run([nextBin, "build"]);
}

/**
 * The server's memory is bounded by its configuration, not left to the garbage collector's mood: V8 collects
 * before its heap passes these (a young generation of 3 × 8 MiB, an old one of 320 MiB; the live set of a
 * serving process is ≈ 110 MiB, a 1,000-event batch adds a few MiB while it is handled). `npm start` runs
 * `node` with the same flags (scripts/start.test.ts keeps them equal).
 */
export const SERVER_NODE_FLAGS = ["--max-old-space-size=320", "--max-semi-space-size=8"];

export interface NextServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startNextServer(options: {
  port: number;
  /** Interface to listen on; 127.0.0.1 unless given (HOST in `npm start`). */
  host?: string;
  env: Record<string, string | undefined>;
  quiet?: boolean;
  /** Appends the server's stdout (its JSON logs) and stderr to this file; stderr is shown as well. */
  logFile?: string;
  timeoutMs?: number;
}): Promise<NextServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const log = options.logFile ? openSync(options.logFile, "a") : undefined;
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(projectRoot, "scripts", "start.mjs")], {
    cwd: projectRoot,
    env: { ...process.env, ...options.env, HOST: options.host ?? "127.0.0.1", PORT: String(options.port) },
    stdio: ["ignore", log ?? (options.quiet ? "ignore" : "inherit"), log === undefined ? "inherit" : "pipe"],
  });
  if (log !== undefined) {
    child.stderr?.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      appendFileSync(log, chunk);
    });
    child.once("exit", () => closeSync(log));
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode} before answering`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return { url, process: child, stop };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${url}/api/health did not answer 200 within ${options.timeoutMs ?? 60_000} ms`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs `cleanup` once on SIGINT/SIGTERM, then exits: servers, chains and embedded databases are stopped by PID. */
export function onShutdown(cleanup: () => Promise<void>): void {
  let done = false;
  const handler = async (signal: NodeJS.Signals) => {
    if (done) return;
    done = true;
    await cleanup().catch((error) => console.error(error));
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}
