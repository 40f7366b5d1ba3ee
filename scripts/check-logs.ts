/**
 * The end of `npm test` reads every log the run wrote (the in-process request logs of Vitest, each app server's
 * stdout and stderr) and fails if any of them holds a secret: one of the exact values the tests used (noted in
 * TEST_SECRETS_FILE) or anything shaped like an API key, a webhook secret or a bearer token. A log with no request
 * line at all fails too, so that an empty or misdirected log cannot pass.
 *
 *     tsx scripts/check-logs.ts <secrets file> <log file>…
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SHAPES: [string, RegExp][] = [
  ["an API key", /\b(?:sk|pk)_[A-Za-z0-9_]{16,}/],
  ["a webhook secret", /\bwhsec_[A-Za-z0-9+/=]{16,}/],
  ["a JWT", /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/],
];

export interface Finding {
  file: string;
  line: number;
  what: string;
}

export function readSecrets(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as string);
}

/** Every line of `logs` that holds one of `secrets` or a credential's shape (the secret itself is not repeated). */
export function findSecrets(logs: { file: string; text: string }[], secrets: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const unique = [...new Set(secrets)];
  for (const { file, text } of logs) {
    text.split("\n").forEach((content, i) => {
      const exact = unique.findIndex((secret) => content.includes(secret));
      if (exact >= 0) findings.push({ file, line: i + 1, what: `secret #${exact + 1} used by the tests` });
      for (const [what, shape] of SHAPES) if (shape.test(content)) findings.push({ file, line: i + 1, what });
    });
  }
  return findings;
}

/** Request lines in a log: the check refuses to pass on a log that recorded no request. */
export function countRequestLines(text: string): number {
  return text.split("\n").filter((line) => line.startsWith("{") && line.includes('"requestId"')).length;
}

function main(secretsFile: string, files: string[]): number {
  const secrets = readSecrets(secretsFile);
  let failed = false;
  const logs = files.map((file) => ({ file, text: existsSync(file) ? readFileSync(file, "utf8") : "" }));
  for (const { file, text } of logs) {
    const requests = countRequestLines(text);
    console.log(`${file}: ${requests} request lines`);
    if (requests === 0) {
      console.error(`${file}: no request was logged; the check would prove nothing`);
      failed = true;
    }
  }
  const findings = findSecrets(logs, secrets);
  for (const f of findings) console.error(`${f.file}:${f.line}: ${f.what}`);
  console.log(`${secrets.length} secrets used by the tests, ${findings.length} found in ${logs.length} logs`);
  return failed || findings.length > 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [secretsFile, ...files] = process.argv.slice(2);
  if (!secretsFile || files.length === 0) {
    console.error("usage: tsx scripts/check-logs.ts <secrets file> <log file>…");
    process.exit(2);
  }
  process.exit(main(secretsFile, files));
}
