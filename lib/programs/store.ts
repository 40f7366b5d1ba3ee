/**
 * Program versions in the database (docs/api.md, Programs): the version in force of each program, its history,
 * and changes. Every rule reads its rates through `programInForce`; the running server serves it from memory
 * (cache.ts), kept current across instances by the database's notifications.
 */
import "server-only";
import { describeIssues } from "@/lib/api/route";
import { recordAudit, type Actor } from "@/lib/audit/log";
import type { Db, Prisma } from "@/lib/db/client";
import { DomainError } from "@/lib/errors";
import { runningCache } from "./cache";
import { diffDocuments, mergePatch, type Json } from "./document";
import { DOCUMENT_SCHEMAS, PROGRAM_NAMES, type ProgramDocuments, type ProgramName } from "./schemas";

type Client = Db | Prisma.TransactionClient;

export interface Program<N extends ProgramName = ProgramName> {
  name: N;
  version: number;
  effectiveFrom: Date;
  document: ProgramDocuments[N];
  /** The document as stored (decimals as strings), for diffs. */
  stored: Json;
}

export class UnknownProgram extends DomainError {
  constructor(name: string) {
    super("not_found", "Program not found", `No program named "${name}"; the programs are ${PROGRAM_NAMES.join(", ")}`);
  }
}

export class InvalidProgram extends DomainError {
  constructor(message: string) {
    super("invalid_request", "Invalid request", `${message}; nothing was changed`);
  }
}

export function programName(name: string): ProgramName {
  if (!(PROGRAM_NAMES as readonly string[]).includes(name)) throw new UnknownProgram(name);
  return name as ProgramName;
}

/** The program's version in force: from memory when this process listens, else one indexed read. */
export async function programInForce<N extends ProgramName>(db: Client, name: N): Promise<Program<N>> {
  const cache = runningCache<Program>();
  const cached = cache?.get(name);
  if (cached) return cached as Program<N>;
  const mark = cache?.beginRead() ?? 0;
  const row = await db.programVersion.findFirst({ where: { name }, orderBy: { version: "desc" } });
  if (!row) throw new Error(`No version of the ${name} program: the database is not migrated`);
  const program = fromRow(name, row);
  cache?.store(name, program, mark);
  return program;
}

/** Both programs in force (GET /api/programs). */
export async function programsInForce(
  db: Client,
): Promise<{ rewards: Program<"rewards">; perpetual: Program<"perpetual"> }> {
  return { rewards: await programInForce(db, "rewards"), perpetual: await programInForce(db, "perpetual") };
}

/** Every version of a program, newest first. */
export async function programVersions<N extends ProgramName>(db: Client, name: N): Promise<Program<N>[]> {
  const rows = await db.programVersion.findMany({ where: { name }, orderBy: { version: "desc" } });
  return rows.map((row) => fromRow(name, row));
}

/**
 * Applies a partial document as a new version, in force for every event recorded after it; audited as
 * `program.updated` in the same transaction.
 * @throws InvalidProgram (400) naming the field when the merged document is invalid; nothing is written
 */
export async function updateProgram<N extends ProgramName>(
  db: Db,
  name: N,
  patch: Record<string, unknown>,
  actor: Actor,
): Promise<Program<N>> {
  const program = await db.$transaction(async (tx) => {
    // Changes of one program queue here, so each reads the version the previous one wrote.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`program:${name}`}))`;
    const current = await tx.programVersion.findFirst({ where: { name }, orderBy: { version: "desc" } });
    if (!current) throw new Error(`No version of the ${name} program: the database is not migrated`);
    const merged = mergePatch(current.document as Json, patch);
    const parsed = DOCUMENT_SCHEMAS[name].safeParse(merged);
    if (!parsed.success) throw new InvalidProgram(describeIssues(parsed.error, "body"));
    const stored = JSON.parse(JSON.stringify(parsed.data)) as Prisma.InputJsonObject;
    const row = await tx.programVersion.create({
      data: { name, version: current.version + 1, document: stored, createdBy: actor },
    });
    await recordAudit(tx, {
      actor,
      action: "program.updated",
      target: name,
      details: {
        version: row.version,
        previousVersion: current.version,
        changes: diffDocuments(current.document as Json, stored as Json) as unknown as Prisma.InputJsonArray,
      },
    });
    return fromRow(name, row);
  });
  runningCache<Program>()?.offer(name, program);
  return program;
}

function fromRow<N extends ProgramName>(
  name: N,
  row: { version: number; effectiveFrom: Date; document: unknown },
): Program<N> {
  const document = DOCUMENT_SCHEMAS[name].parse(row.document) as ProgramDocuments[N];
  return { name, version: row.version, effectiveFrom: row.effectiveFrom, document, stored: row.document as Json };
}

/** What the API answers for a version: its number, since when, and the document (decimals render as numbers). */
export function programView(program: Program): Record<string, unknown> {
  return { version: program.version, effectiveFrom: program.effectiveFrom.toISOString(), ...program.document };
}
