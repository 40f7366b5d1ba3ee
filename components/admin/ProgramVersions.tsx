import { Card } from "@/components/ui/Card";
import { LocalTime } from "@/components/ui/LocalTime";
import { mutedText } from "@/components/ui/styles";
import type { Change } from "@/lib/programs/document";
import { ChangesTable } from "./ProgramEditor";

export interface VersionRow {
  version: number;
  effectiveFrom: string;
  /** What it changed from the version before; null for version 1. */
  changes: Change[] | null;
}

/** Every version of one program, newest first, each with what it changed. */
export function ProgramVersions({ name, title, rows }: { name: string; title: string; rows: VersionRow[] }) {
  return (
    <Card id={`versions-${name}-heading`} title={`${title}: versions`} description="Newest first.">
      <ol className="flex flex-col gap-4" data-testid={`program-${name}-versions`}>
        {rows.map((row) => (
          <li key={row.version} className="flex flex-col gap-2" data-testid="program-version">
            <p className="text-sm">
              <span className="font-semibold">Version {row.version}</span>{" "}
              <span className={mutedText}>
                from <LocalTime iso={row.effectiveFrom} />
              </span>
            </p>
            {row.changes === null ? (
              <p className={`text-sm ${mutedText}`}>The seed documents&apos; rules.</p>
            ) : row.changes.length === 0 ? (
              <p className={`text-sm ${mutedText}`}>No change from the version before.</p>
            ) : (
              <ChangesTable changes={row.changes} caption={`What version ${row.version} changed`} />
            )}
          </li>
        ))}
      </ol>
    </Card>
  );
}
