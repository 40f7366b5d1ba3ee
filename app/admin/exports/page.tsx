import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/Card";
import { buttonPrimary, buttonSecondary, inputClass, linkClass, mutedText } from "@/components/ui/styles";
import { checkFilters, downloadHref, filterValues, type FilterField } from "@/lib/admin/exports";
import { getReadPrisma } from "@/lib/db/client";
import { EXPORT_NAMES, EXPORTS, type ExportName } from "@/lib/exports/files";
import { currentOperator } from "../session";

export const metadata: Metadata = { title: "Exports" };
export const dynamic = "force-dynamic";

const TITLES: Record<ExportName, string> = {
  ledger: "Rewards ledger",
  "fee-entries": "Referral fee entries",
  claims: "Claims",
};

const OWNER: Record<ExportName, string> = {
  ledger: "the row's account",
  "fee-entries": "the referrer",
  claims: "the claiming account",
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The three CSV exports finance reconciles with, filtered by creation time and account (docs/exports.md). */
export default async function ExportsPage({ searchParams }: { searchParams: SearchParams }) {
  // The layout shows the sign-in form instead of this page when no operator is signed in.
  if (!(await currentOperator())) return null;
  const params = await searchParams;
  const values = filterValues((field) => {
    const value = params[field];
    return typeof value === "string" ? value : undefined;
  });
  const checked = await checkFilters(getReadPrisma(), values);
  const problems = checked.ok ? {} : checked.problems;
  const filtered = Object.keys(values).length > 0;
  return (
    <>
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Exports</h1>
        <p className={`text-sm ${mutedText}`}>
          CSV files for reconciling the books: one consistent snapshot each, exact decimals, streamed however many rows.
          The same files as <code className="font-mono text-xs">GET /api/exports/*.csv</code>.
        </p>
      </header>
      <Card
        id="filters-heading"
        title="Filters"
        description="Leave a field empty for no bound. Dates are UTC and inclusive."
      >
        <form
          method="get"
          action="/admin/exports"
          className="grid gap-4 sm:grid-cols-[1fr_1fr_2fr_auto] sm:items-start"
        >
          <Field name="from" label="From" type="date" values={values} problems={problems} />
          <Field name="to" label="To" type="date" values={values} problems={problems} />
          <Field
            name="accountId"
            label="Account"
            type="text"
            placeholder="usr_… or prov_…"
            values={values}
            problems={problems}
          />
          <div className="flex gap-2 sm:mt-6">
            <button type="submit" className={buttonPrimary}>
              Apply
            </button>
            {filtered ? (
              <Link href="/admin/exports" className={buttonSecondary}>
                Clear
              </Link>
            ) : null}
          </div>
        </form>
      </Card>
      <section aria-labelledby="downloads-heading" className="flex flex-col gap-3">
        <h2 id="downloads-heading" className="text-lg font-semibold tracking-tight">
          Downloads
        </h2>
        {checked.ok ? (
          <p className={`text-sm ${mutedText}`} data-testid="export-scope">
            {describeScope(checked.values)}
          </p>
        ) : (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            Correct the filters above to download.
          </p>
        )}
        <ul className="grid gap-3 lg:grid-cols-3">
          {EXPORT_NAMES.map((name) => (
            <li key={name} className="flex flex-col gap-2 rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
              <h3 className="font-medium">{TITLES[name]}</h3>
              <p className={`text-sm ${mutedText}`}>
                One row per {EXPORTS[name].row.replaceAll("`", "")}; the account filter is {OWNER[name]}.
              </p>
              <p className={`break-words font-mono text-xs ${mutedText}`}>
                {EXPORTS[name].columns.map((c) => c.key).join(", ")}
              </p>
              {checked.ok ? (
                <a href={downloadHref(name, checked.values)} download className={`${linkClass} mt-auto text-sm`}>
                  Download {name}.csv
                </a>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function Field(props: {
  name: FilterField;
  label: string;
  type: "date" | "text";
  placeholder?: string;
  values: Partial<Record<FilterField, string>>;
  problems: Partial<Record<FilterField, string>>;
}) {
  const problem = props.problems[props.name];
  const id = `filter-${props.name}`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {props.label}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type}
        defaultValue={props.values[props.name] ?? ""}
        placeholder={props.placeholder}
        className={`${inputClass} ${props.type === "text" ? "font-mono" : ""}`}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
      />
      {problem ? (
        <p id={`${id}-problem`} className="text-sm text-red-700 dark:text-red-300">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

function describeScope(values: Partial<Record<FilterField, string>>): string {
  const parts = [
    values.from ? `from ${values.from}` : null,
    values.to ? `to ${values.to}` : null,
    values.accountId ? `of ${values.accountId}` : null,
  ].filter(Boolean);
  return parts.length === 0 ? "Every row." : `Rows ${parts.join(" ")}.`;
}
