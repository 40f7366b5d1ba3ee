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
import { diffDocuments, mergePatch, type Change, type Json } from "./document";
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

/** A version as read: what the process-wide cache holds. */
interface VersionRow {
  version: number;
  effectiveFrom: Date;
  document: unknown;
}

/**
 * The cache is shared by the whole process, but Next bundles the server's routes and pages apart, each with its
 * own copy of the decimal class, so what it holds is the plain row and each bundle parses it once into its own
 * decimals (a Decimal of another bundle would not render as an exact JSON number there).
 */
const parsedHere = new WeakMap<VersionRow, Program>();

function parsedOnce<N extends ProgramName>(name: N, row: VersionRow): Program<N> {
  let program = parsedHere.get(row);
  if (!program) parsedHere.set(row, (program = fromRow(name, row)));
  return program as Program<N>;
}

/** The program's version in force: from memory when this process listens, else one indexed read. */
export async function programInForce<N extends ProgramName>(db: Client, name: N): Promise<Program<N>> {
  const cache = runningCache<VersionRow>();
  const cached = cache?.get(name);
  if (cached) return parsedOnce(name, cached);
  const mark = cache?.beginRead() ?? 0;
  const row = await latestRow(db, name);
  cache?.store(name, row, mark);
  return parsedOnce(name, row);
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
 * `program.updated` in the same transaction. `basedOn`: the version the change was reviewed against (the console's
 * confirmation); refused if another version was made since, so what is confirmed is what the diff showed.
 * @throws InvalidProgram (400) naming the field when the merged document is invalid; nothing is written
 */
export async function updateProgram<N extends ProgramName>(
  db: Db,
  name: N,
  patch: Record<string, unknown>,
  actor: Actor,
  options: { basedOn?: number } = {},
): Promise<Program<N>> {
  const saved = await db.$transaction(async (tx) => {
    // Changes of one program queue here, so each reads the version the previous one wrote.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`program:${name}`}))`;
    const current = await latestRow(tx, name);
    if (options.basedOn !== undefined && current.version !== options.basedOn) {
      throw new InvalidProgram(
        `version ${current.version} was made since the change was reviewed on version ${options.basedOn}`,
      );
    }
    const { stored, changes } = applyPatch(name, current.document as Json, patch);
    const row = await tx.programVersion.create({
      data: { name, version: current.version + 1, document: stored as Prisma.InputJsonObject, createdBy: actor },
    });
    await recordAudit(tx, {
      actor,
      action: "program.updated",
      target: name,
      details: {
        version: row.version,
        previousVersion: current.version,
        changes: changes as unknown as Prisma.InputJsonArray,
      },
    });
    return row;
  });
  runningCache<VersionRow>()?.offer(name, saved);
  return parsedOnce(name, saved);
}

/**
 * What a partial document would change in the version in force, without changing anything (the console's
 * confirmation).
 * @throws InvalidProgram (400) naming the field when the merged document is invalid
 */
export async function previewProgramChange(
  db: Client,
  name: ProgramName,
  patch: Record<string, unknown>,
): Promise<{ basedOn: number; changes: Change[] }> {
  const current = await latestRow(db, name);
  return { basedOn: current.version, changes: applyPatch(name, current.document as Json, patch).changes };
}

async function latestRow(db: Client, name: ProgramName) {
  const row = await db.programVersion.findFirst({ where: { name }, orderBy: { version: "desc" } });
  if (!row) throw new Error(`No version of the ${name} program: the database is not migrated`);
  return row;
}

/** The merged document, validated, as it is stored (decimals as strings), and how it differs from `current`. */
function applyPatch(
  name: ProgramName,
  current: Json,
  patch: Record<string, unknown>,
): { stored: Json; changes: Change[] } {
  const parsed = DOCUMENT_SCHEMAS[name].safeParse(mergePatch(current, patch));
  if (!parsed.success) throw new InvalidProgram(describeIssues(parsed.error, "body"));
  const stored = JSON.parse(JSON.stringify(parsed.data)) as Json;
  return { stored, changes: diffDocuments(current, stored) };
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
