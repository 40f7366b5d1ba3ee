import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // Tests run server modules directly, as the server does: `server-only` guards the browser bundle, not them.
      "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    environment: "node",
    // The JSON request logs go to a file, not between the test reports: `npm test` names one and checks it for
    // secrets after the run (scripts/check-logs.ts); a run of its own gets one in the temp folder.
    env: { LOG_FILE: process.env.LOG_FILE ?? join(tmpdir(), `referral-engine-vitest-${process.pid}.log`) },
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.ts"],
    exclude: ["node_modules", ".next", "e2e"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests each create their own database; two cores, so two workers.
    maxWorkers: 2,
    reporters: ["default", "./scripts/vitest-summary-reporter.ts"],
  },
});
