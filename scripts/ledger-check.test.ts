import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "@/lib/referrals/accounts";
import { recordUsageEvents } from "@/lib/rewards/events";
import { integrationSetup } from "@/lib/testing/integration";

const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const { db } = await integrationSetup();

/** Runs a script against the test database. Asynchronous: the embedded database is served from this process. */
function run(script: string, ...args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, "--conditions=react-server", script, ...args], {
      env: { ...process.env, DATABASE_URL: db.url },
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, out }));
  });
}

beforeAll(async () => {
  const referrer = (await createAccount(db.prisma, { kind: "user" })).account.id;
  const user = (await createAccount(db.prisma, { kind: "user", referrer })).account.id;
  await recordUsageEvents(db.prisma, [{ requestId: "r1", userId: user, endpoint: "/chat/completions", tokens: 1000 }]);
});

describe("npm run ledger:check / ledger:compact", () => {
  it("ledger:check exits 0 on balanced books and 1, listing the problem, when a share is off", async () => {
    const clean = await run("scripts/ledger-check.ts");
    expect(clean.out).toContain("no differences");
    expect(clean.status).toBe(0);

    await db.prisma
      .$executeRaw`UPDATE ledger_entry SET amount = amount * 2 WHERE source_event = 'usage:r1' AND level = 1`;
    try {
      const broken = await run("scripts/ledger-check.ts");
      expect(broken.status).toBe(1);
      expect(broken.out).toMatch(
        /rewards: share usage:r1 level 1 = 0\.6 \(base 2, earner USER\): amount is not rate × base/,
      );
    } finally {
      await db.prisma
        .$executeRaw`UPDATE ledger_entry SET amount = amount / 2 WHERE source_event = 'usage:r1' AND level = 1`;
    }
  });

  it("ledger:compact folds old rows and reports how many", async () => {
    await db.prisma.$executeRaw`UPDATE ledger_entry SET created_at = created_at - interval '10 days'`;
    await db.prisma.$executeRaw`UPDATE account_daily SET day = day - 10`;
    const res = await run("scripts/ledger-compact.ts", "--older-than-days", "5");
    expect(res.status).toBe(0);
    expect(res.out).toMatch(/folded 3 row\(s\) created before .* into 3 rollup row\(s\)/);
    expect((await run("scripts/ledger-check.ts")).status).toBe(0);
    expect((await run("scripts/ledger-compact.ts", "--older-than-days", "0")).status).toBe(1);
  });
});
