/**
 * `npm run db:generate`: generates the Prisma client into lib/db/generated. `npm install` runs it (postinstall), so
 * a fresh clone has a client before anything imports it; `--if-stale` (used by `npm run demo`) generates only when
 * the client is missing or older than prisma/schema.prisma, so a second start costs nothing.
 * Prisma's CLI wants to download a schema engine it does not need for `generate`; pointing
 * PRISMA_SCHEMA_ENGINE_BINARY at any existing file stops the download (never do this for `migrate`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const schema = fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url));
const generatedClient = fileURLToPath(new URL("../lib/db/generated/client.ts", import.meta.url));

function clientIsCurrent(): boolean {
  return existsSync(generatedClient) && statSync(generatedClient).mtimeMs >= statSync(schema).mtimeMs;
}

if (process.argv.includes("--if-stale") && clientIsCurrent()) process.exit(0);

let prismaCli: string;
try {
  prismaCli = require.resolve("prisma/build/index.js");
} catch {
  // An install without dev dependencies (a runtime image serving a build made elsewhere) needs no client:
  // the build holds it. Anything else that wants one fails here, saying why.
  const postinstall = process.env.npm_lifecycle_event === "postinstall";
  console.error(`Prisma client not generated: the prisma CLI (a dev dependency) is not installed.`);
  process.exit(postinstall ? 0 : 1);
}

const result = spawnSync(process.execPath, [prismaCli, "generate"], {
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
