/**
 * The secrets a test run used (keys, tokens, passwords, AUTH_SECRET), noted in TEST_SECRETS_FILE when `npm test`
 * sets it, so the check at the end of the run (scripts/check-logs.ts) can look for each of them in every log.
 */
import { appendFileSync } from "node:fs";

export function noteTestSecret(...values: string[]): void {
  const file = process.env.TEST_SECRETS_FILE;
  if (!file) return;
  appendFileSync(
    file,
    values
      .filter((v) => v.length >= 8)
      .map((v) => `${JSON.stringify(v)}\n`)
      .join(""),
  );
}
