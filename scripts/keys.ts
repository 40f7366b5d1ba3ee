/**
 * `npm run keys -- create secret|publishable <name>` · `npm run keys -- list` · `npm run keys -- revoke <id|prefix>`
 * Manages API keys in the database named by DATABASE_URL (or the embedded one). A created key is shown once;
 * only its sha-256 is stored.
 */
import { cliActor } from "@/lib/audit/log";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/auth/keys";
import { runWithDatabase } from "./run-with-database";

const usage = "usage: npm run keys -- create secret|publishable <name> | list | revoke <id|prefix>";

runWithDatabase(
  "keys",
  async (db) => {
    const [command, ...args] = process.argv.slice(2);
    if (command === "create") {
      const [kind, ...nameParts] = args;
      if (kind !== "secret" && kind !== "publishable") throw new Error(usage);
      const created = await createApiKey(
        db,
        kind === "secret" ? "SECRET" : "PUBLISHABLE",
        nameParts.join(" ") || kind,
        cliActor(),
      );
      console.log(`Created ${kind} key ${created.id} (prefix ${created.prefix}). Store it now; it is not shown again:`);
      console.log(created.key);
    } else if (command === "list") {
      const keys = await listApiKeys(db);
      if (keys.length === 0) console.log("No keys (bootstrap keys from the environment are not listed).");
      for (const key of keys) {
        const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : "active";
        const used = key.lastUsedAt ? key.lastUsedAt.toISOString() : "never";
        console.log(
          `${key.id}  ${key.kind.toLowerCase().padEnd(11)}  ${key.prefix}…  ${state}  last used ${used}  ${key.name}`,
        );
      }
    } else if (command === "revoke") {
      if (!args[0]) throw new Error(usage);
      console.log((await revokeApiKey(db, args[0], cliActor())) ? "Revoked." : "No active key matches.");
    } else {
      throw new Error(usage);
    }
  },
  1,
);
