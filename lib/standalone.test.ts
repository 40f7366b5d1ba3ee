/**
 * The repository stands alone: whoever clones it has only what is tracked, so no tracked file may point at the
 * team's working folder outside it, at its design notes, or at the documents the programs were first written from.
 * The project's own docs (docs/api.md, docs/rewards.md, docs/perpetual-earnings.md …) are what code and docs cite.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Assembled from parts so that this file, which is tracked too, does not itself contain what it looks for.
const outsideReferences = [
  ["..", "shared"].join("/"),
  ["DESIGN", "§"].join(" "),
  ["DESIGN", "md"].join("."),
  ["000", "77239491f5903821"].join("_"),
  ["004", "0896a5cfad8d2213"].join("_"),
  ["seed", "000"].join(" "),
  ["seed", "004"].join(" "),
];

const tracked = execFileSync("git", ["ls-files", "-z"], { encoding: "utf8" }).split("\0").filter(Boolean);

/** Git's own test for a binary file: a NUL byte in its first 8,000 bytes. */
const isBinary = (bytes: Buffer) => bytes.subarray(0, 8000).includes(0);

function findOutsideReferences(files: string[]): string[] {
  const found: string[] = [];
  for (const path of files) {
    const bytes = readFileSync(path);
    if (isBinary(bytes)) continue;
    bytes
      .toString("utf8")
      .split("\n")
      .forEach((line, index) => {
        const lower = line.toLowerCase();
        for (const reference of outsideReferences) {
          if (lower.includes(reference.toLowerCase())) found.push(`${path}:${index + 1}: ${reference}`);
        }
      });
  }
  return found;
}

describe("the repository stands alone", () => {
  it("lists the files git tracks, text and binary", () => {
    expect(tracked).toContain("README.md");
    expect(tracked).toContain("lib/standalone.test.ts");
    expect(tracked.length).toBeGreaterThan(100);
  });

  it("finds each reference whatever its case, on its line, and passes over binary files only", () => {
    const dir = mkdtempSync(join(tmpdir(), "standalone-"));
    const text = join(dir, "notes.md");
    const binary = join(dir, "image.png");
    writeFileSync(text, ["fine", ...outsideReferences.map((reference) => `see ${reference.toUpperCase()}`)].join("\n"));
    writeFileSync(binary, Buffer.concat([Buffer.from([0x89, 0]), Buffer.from(outsideReferences.join(" "))]));
    expect(findOutsideReferences([text, binary])).toEqual(
      outsideReferences.map((reference, index) => `${text}:${index + 2}: ${reference}`),
    );
  });

  it("no tracked text file refers to the team's folder, its design notes or the original documents", () => {
    expect(findOutsideReferences(tracked)).toEqual([]);
  });
});
