/**
 * What the process logged during a test: the structured logs go to LOG_FILE (set by vitest.config.ts), and
 * `logsFrom()` reads what was appended to it since it was called.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";

export interface LogCapture {
  /** Everything logged since the capture started, as text. */
  text(): string;
  /** The JSON lines logged since the capture started. */
  lines(): Record<string, unknown>[];
}

export function logsFrom(): LogCapture {
  const file = process.env.LOG_FILE;
  if (!file) throw new Error("LOG_FILE is not set: run the tests through vitest.config.ts");
  const size = () => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  };
  const start = size();
  const text = () => {
    const end = size();
    if (end <= start) return "";
    const buffer = Buffer.alloc(end - start);
    const fd = openSync(file, "r");
    try {
      readSync(fd, buffer, 0, buffer.length, start);
    } finally {
      closeSync(fd);
    }
    return buffer.toString("utf8");
  };
  return {
    text,
    lines: () =>
      text()
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
