import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const apiDir = join(here, "..");

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(path);
    return entry.name === "route.ts" ? [path] : [];
  });
}

describe("OpenAPI route list", () => {
  it("imports every route module under app/api", () => {
    const listed = readFileSync(join(here, "routes.ts"), "utf8");
    const missing = routeFiles(apiDir)
      // Auth.js serves its own endpoints under [...nextauth]; they are not ours to document. [...path] answers the
      // paths that are no route.
      .filter((file) => dirname(file) !== here && !file.includes("[...nextauth]") && !file.includes("[...path]"))
      .map((file) => relative(here, file).replace(/\.ts$/, "").replaceAll("\\", "/"))
      .filter((spec) => !listed.includes(`"${spec}"`));
    expect(missing).toEqual([]);
  });
});
