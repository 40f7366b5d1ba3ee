/**
 * `npm test`: every check, in the order a failure is cheapest to find — type check, lint, format, unit and integration
 * tests (Vitest), then end-to-end tests (Playwright, Chromium) against a production build — and one closing line
 * `N passed, N failed` over all of them. Type check, lint, the format check and the final check that no log of the
 * run holds a secret count as one test each.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build, buildIsStale, projectRoot } from "./next-server";

const require = createRequire(import.meta.url);
const node = process.execPath;
const tmp = mkdtempSync(join(tmpdir(), "referral-engine-test-"));
const totals = { passed: 0, failed: 0, skipped: 0 };
const skipE2e = process.argv.includes("--no-e2e");
// Every log the run writes, and every secret it uses, for the check at the end (scripts/check-logs.ts).
const logs = { vitest: join(tmp, "vitest.log"), e2e: join(tmp, "e2e-server.log") };
const secretsFile = join(tmp, "secrets.jsonl");
process.env.TEST_SECRETS_FILE = secretsFile;

function run(label: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(node, args, {
    cwd: projectRoot,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
  });
  return result.status === 0;
}

function countCheck(ok: boolean) {
  if (ok) totals.passed++;
  else totals.failed++;
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}

try {
  if (
    !run("prisma generate", [require.resolve("tsx/cli"), "--conditions=react-server", "scripts/prisma-generate.ts"])
  ) {
    throw new Error("prisma generate failed");
  }
  countCheck(run("type check (tsc --noEmit)", [require.resolve("typescript/bin/tsc"), "--noEmit"]));
  countCheck(
    run("lint (eslint .)", [
      join(dirname(require.resolve("eslint/package.json")), "bin", "eslint.js"),
      ".",
      "--max-warnings=0",
    ]),
  );
  countCheck(
    run("format (prettier --check .)", [
      join(dirname(require.resolve("prettier/package.json")), "bin", "prettier.cjs"),
      "--check",
      ".",
      "--log-level=warn",
    ]),
  );

  const vitestSummary = join(tmp, "vitest.json");
  const vitestOk = run(
    "unit and integration tests (vitest)",
    [join(dirname(require.resolve("vitest/package.json")), "vitest.mjs"), "run"],
    { TEST_SUMMARY_FILE: vitestSummary, LOG_FILE: logs.vitest },
  );
  const vitest = readJson<typeof totals>(vitestSummary);
  if (vitest) {
    totals.passed += vitest.passed;
    totals.failed += vitest.failed;
    totals.skipped += vitest.skipped;
  }
  if (!vitestOk && (!vitest || vitest.failed === 0)) totals.failed++;

  if (!skipE2e) {
    if (buildIsStale()) {
      console.log("\n=== production build (next build) ===");
      try {
        build();
      } catch (error) {
        console.error(error);
        totals.failed++;
      }
    }
    const playwrightReport = join(tmp, "playwright.json");
    const e2eOk = run(
      "end-to-end tests (playwright, chromium)",
      ["--conditions=react-server", require.resolve("@playwright/test/cli"), "test"],
      { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport, E2E_LOG_FILE: logs.e2e },
    );
    const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(
      playwrightReport,
    );
    if (report) {
      totals.passed += report.stats.expected;
      totals.failed += report.stats.unexpected + report.stats.flaky;
      totals.skipped += report.stats.skipped;
    }
    if (!e2eOk && (!report || report.stats.unexpected === 0)) totals.failed++;
  }
  countCheck(
    run("no secret in the logs of the run", [
      require.resolve("tsx/cli"),
      "scripts/check-logs.ts",
      secretsFile,
      ...(skipE2e ? [logs.vitest] : [logs.vitest, logs.e2e]),
    ]),
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  totals.failed++;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
process.exit(totals.failed === 0 ? 0 : 1);
