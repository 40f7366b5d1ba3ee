import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { verifyApiKey } from "@/lib/auth/keys";
import { integrationSetup } from "@/lib/testing/integration";

const run = promisify(execFile);
const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const { db } = await integrationSetup();

function keys(...args: string[]) {
  return run(process.execPath, [tsx, "--conditions=react-server", "scripts/keys.ts", ...args], {
    env: { ...process.env, DATABASE_URL: db.url },
  });
}

describe("npm run keys", () => {
  it("creates a key shown once and stored only as a hash, lists it, and revokes it", async () => {
    const created = await keys("create", "secret", "billing", "backend");
    const key = created.stdout.trim().split("\n").at(-1)!;
    expect(key).toMatch(/^sk_live_[\w-]{32}$/);
    const row = await db.prisma.apiKey.findFirstOrThrow({ where: { name: "billing backend" } });
    expect(row.hash).not.toContain(key);
    expect(JSON.stringify(row)).not.toContain(key.slice(12));
    expect(await verifyApiKey(db.prisma, key)).toEqual({ id: row.id, kind: "SECRET", prefix: key.slice(0, 12) });
    // Who created it is in the audit log: the command line, never the key.
    const audited = await db.prisma.auditLog.findFirstOrThrow({ where: { target: row.id } });
    expect(audited).toMatchObject({ action: "api_key.created", actor: expect.stringMatching(/^cli:/) });
    expect(JSON.stringify(audited.details)).not.toContain(key.slice(12));

    const listed = await keys("list");
    expect(listed.stdout).toContain(`${row.id}  secret`);
    expect(listed.stdout).toContain("active");
    expect(listed.stdout).not.toContain(key);

    expect((await keys("revoke", row.prefix)).stdout).toContain("Revoked.");
    expect(await verifyApiKey(db.prisma, key)).toBeNull();
    expect((await keys("list")).stdout).toContain("revoked");
    expect(
      await db.prisma.auditLog.count({
        where: { target: row.id, action: "api_key.revoked", actor: { startsWith: "cli:" } },
      }),
    ).toBe(1);
  });

  it("refuses an unknown command with its usage and a non-zero exit", async () => {
    await expect(keys("rotate")).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("usage: npm run keys"),
    });
  });
});
