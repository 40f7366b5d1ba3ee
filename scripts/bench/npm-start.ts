/**
 * The server as an operator runs it: `npm start` (with DATABASE_URL), in a process group of its own, so the
 * memory measured is that of everything `npm start` runs — npm itself and whatever it starts — and stopping it
 * stops all of it.
 */
import { spawn } from "node:child_process";
import type { NextServer } from "../next-server";

export async function npmStart(options: {
  root: string;
  port: number;
  env: Record<string, string | undefined>;
  timeoutMs?: number;
}): Promise<NextServer> {
  const url = `http://127.0.0.1:${options.port}`;
  // An operator's shell: not this script's NODE_ENV.
  const { NODE_ENV: _nodeEnv, ...inherited } = process.env;
  const env = { ...inherited, ...options.env, HOST: "127.0.0.1", PORT: String(options.port) } as unknown as NodeJS.ProcessEnv;
  const child = spawn("npm", ["start"], {
    cwd: options.root,
    env,
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // The group is gone.
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with code ${child.exitCode} before answering`);
    const ok = await fetch(`${url}/api/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return { url, process: child, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${url}/api/health did not answer 200 within ${(options.timeoutMs ?? 120_000) / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
