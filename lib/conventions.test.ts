/**
 * The house rules of docs/contributing.md that a machine can check: each convention has one home, and this
 * test fails when code drifts from it.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const tracked = execFileSync("git", ["ls-files", "*.ts", "*.tsx"], { encoding: "utf8" })
  .split("\n")
  .filter((path) => path && !path.startsWith("lib/db/generated/"));
const source = (path: string) => readFileSync(path, "utf8");

describe("house rules", () => {
  it("route handlers hold no schemas: request and response shapes live in lib/<domain>/schemas.ts", () => {
    const inline = tracked.filter((path) => /^app\/.*route\.ts$/.test(path) && /from "zod"/.test(source(path)));
    expect(inline).toEqual([]);
  });

  it("domain functions take the database first, never as a defaulted last parameter", () => {
    const defaulted = tracked.filter((path) => /\b(db|prisma|tx)\??: \w+ = getPrisma\(\)/.test(source(path)));
    expect(defaulted).toEqual([]);
  });

  it("modules that read the database are marked server-only", () => {
    const unmarked = tracked.filter(
      (path) =>
        path.startsWith("lib/") &&
        !path.endsWith(".test.ts") &&
        !path.startsWith("lib/testing/") &&
        /from "(@\/lib\/db\/client|\.\/client)"/.test(source(path)) &&
        !source(path).includes('import "server-only";'),
    );
    expect(unmarked).toEqual([]);
  });

  it("test fixtures live in lib/testing, not beside production code", () => {
    const fixtures = tracked.filter((path) => /(^|\/)test-[\w-]+\.ts$/.test(path) && !path.startsWith("lib/testing/"));
    expect(fixtures).toEqual([]);
  });
});
