import type { Metadata } from "next";
import { ProgramEditor } from "@/components/admin/ProgramEditor";
import { ProgramVersions, type VersionRow } from "@/components/admin/ProgramVersions";
import { mutedText } from "@/components/ui/styles";
import { getPrisma } from "@/lib/db/client";
import { diffDocuments } from "@/lib/programs/document";
import type { ProgramName } from "@/lib/programs/schemas";
import { programVersions, type Program } from "@/lib/programs/store";
import { currentOperator } from "../session";

export const metadata: Metadata = { title: "Programs" };
export const dynamic = "force-dynamic";

const TITLES: Record<ProgramName, string> = { rewards: "Rewards & Referrals", perpetual: "Perpetual Earnings" };

function rows(versions: Program[]): VersionRow[] {
  return versions.map((v, i) => {
    const previous = versions[i + 1];
    return {
      version: v.version,
      effectiveFrom: v.effectiveFrom.toISOString(),
      changes: previous ? diffDocuments(previous.stored, v.stored) : null,
    };
  });
}

/** Both programs' rules in force, edited with a confirmation that shows the diff, and every version since the first. */
export default async function ProgramsPage() {
  // The layout shows the sign-in form instead of this page when no operator is signed in.
  if (!(await currentOperator())) return null;
  const db = getPrisma();
  const [rewards, perpetual] = await Promise.all([programVersions(db, "rewards"), programVersions(db, "perpetual")]);
  return (
    <>
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Programs</h1>
        <p className={`max-w-3xl text-sm ${mutedText}`}>
          The rules both programs apply. A change becomes the next version, in force for every event recorded after it,
          on every instance within a second; events already recorded keep the version that priced them.
        </p>
      </header>
      {([rewards, perpetual] as const).map((versions) => {
        const current = versions[0]!;
        return (
          <div key={current.name} className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
            <ProgramEditor
              name={current.name}
              title={TITLES[current.name]}
              version={current.version}
              effectiveFrom={current.effectiveFrom.toISOString()}
              document={current.stored}
            />
            <ProgramVersions name={current.name} title={TITLES[current.name]} rows={rows(versions)} />
          </div>
        );
      })}
    </>
  );
}
