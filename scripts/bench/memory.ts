/**
 * Memory of a process and everything it spawned (`next start` may run the server in a child), from /proc:
 * the peak of the tree's summed resident set, sampled, and each process's own high-water mark (VmHWM).
 */
import { readdirSync, readFileSync } from "node:fs";

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may itself contain spaces or parentheses.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const pids: number[] = [];
  const walk = (pid: number) => {
    pids.push(pid);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(root);
  return pids;
}

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU time one process has used so far (user + system), in ms; null once it is gone or cannot be read. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // The kernel counts in clock ticks of 1/100 s (USER_HZ) on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * CPU time the tree has used so far (user + system, of the processes alive now), in ms: the difference over a
 * phase divided by its requests is the server's CPU per request, which the machine's other load barely changes.
 */
export function treeCpuMs(rootPid: number): number {
  // A process gone since the listing counts nothing.
  return tree(rootPid).reduce((ms, pid) => ms + (processCpuMs(pid) ?? 0), 0);
}

/** The tree's resident set now, in kB. */
export function treeRssKb(rootPid: number): number {
  return tree(rootPid).reduce((sum, pid) => sum + statusKb(pid, "VmRSS"), 0);
}

export interface MemoryPeak {
  /** Highest sum of VmRSS over the tree among the samples. */
  peakTreeRssMb: number;
  /** Sum over the processes seen of their own peak (VmHWM): an upper bound of the tree's true peak. */
  sumOfHighWaterMb: number;
  processes: number;
  /** Each process seen: its command line (shortened) and its own peak (VmHWM). */
  byProcess: { command: string; peakMb: number }[];
  samples: number;
}

function commandOf(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    const title = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    const shown = args.map((a) => a.replace(/^.*\/node_modules\//, "").replace(/^\/.*\//, "")).join(" ");
    return (shown.length > 0 ? shown : title).slice(0, 80);
  } catch {
    return String(pid);
  }
}

export function watchMemory(rootPid: number, intervalMs = 250): { lap(): number; stop(): MemoryPeak } {
  let peakKb = 0;
  let lapKb = 0;
  let samples = 0;
  const hwm = new Map<number, number>();
  const commands = new Map<number, string>();
  const sample = () => {
    let sum = 0;
    for (const pid of tree(rootPid)) {
      sum += statusKb(pid, "VmRSS");
      hwm.set(pid, Math.max(hwm.get(pid) ?? 0, statusKb(pid, "VmHWM")));
      if (!commands.has(pid)) commands.set(pid, commandOf(pid));
    }
    peakKb = Math.max(peakKb, sum);
    lapKb = Math.max(lapKb, sum);
    samples++;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  const mb = (kb: number) => Math.round(kb / 1024);
  return {
    /** The tree's peak (MB) since the previous lap (or the start). */
    lap() {
      sample();
      const peak = mb(lapKb);
      lapKb = 0;
      return peak;
    },
    stop() {
      clearInterval(timer);
      sample();
      return {
        peakTreeRssMb: mb(peakKb),
        sumOfHighWaterMb: mb([...hwm.values()].reduce((a, b) => a + b, 0)),
        processes: hwm.size,
        byProcess: [...hwm].map(([pid, kb]) => ({ command: commands.get(pid) ?? String(pid), peakMb: mb(kb) })),
        samples,
      };
    },
  };
}
