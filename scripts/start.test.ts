import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot, SERVER_NODE_FLAGS } from "./next-server";

describe("npm start", () => {
  it("is one node process (the shell execs it) with the same memory bounds as every other server start", () => {
    const scripts = (
      JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.start).toBe(`exec node ${SERVER_NODE_FLAGS.join(" ")} scripts/start.mjs`);
  });
});
