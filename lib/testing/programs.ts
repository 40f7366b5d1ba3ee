/**
 * Version 1 of each program, read from the migration that seeds it, for unit tests of the rules without a
 * database: the migration is the one place the default rates are written, so tests cannot drift from it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PerpetualDocument, RewardsDocument } from "@/lib/programs/schemas";

const migrations = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

function seeded(name: string): unknown {
  const folder = readdirSync(migrations).find((f) => f.endsWith("_programs_as_data"));
  const sql = readFileSync(`${migrations}/${folder}/migration.sql`, "utf8");
  const match = new RegExp(`\\('${name}', 1, '(\\{[\\s\\S]*?\\n\\})', 'migration'\\)`).exec(sql);
  if (!match) throw new Error(`The ${name} program's version 1 is not in migration ${folder}`);
  return JSON.parse(match[1]!);
}

export const seedRewards: RewardsDocument = RewardsDocument.parse(seeded("rewards"));
export const seedPerpetual: PerpetualDocument = PerpetualDocument.parse(seeded("perpetual"));
