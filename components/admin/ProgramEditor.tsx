"use client";

import { useState, useTransition } from "react";
import { applyProgramChange, reviewProgramChange, type ApplyState } from "@/app/admin/programs/actions";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { LocalTime } from "@/components/ui/LocalTime";
import { buttonPrimary, buttonSecondary, inputClass, mutedText } from "@/components/ui/styles";
import { TableHead } from "@/components/ui/TableHead";
import { createMergePatch, type Change, type Json } from "@/lib/programs/document";

type JsonObject = { [key: string]: Json };
type ProgramName = "rewards" | "perpetual";

const CURRENCY_CODES = ["KES", "NGN", "UGX", "GHS", "ETB", "CDF"];
const ENDPOINTS = ["/chat/completions", "/embeddings", "/scrape", "/tts"];

function at(doc: Json, path: (string | number)[]): Json | undefined {
  let value: Json | undefined = doc;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, Json>)[key as string];
  }
  return value;
}

function withValue(doc: Json, path: (string | number)[], value: Json): Json {
  const copy = structuredClone(doc) as JsonObject;
  let node = copy as Record<string, Json>;
  for (const key of path.slice(0, -1)) node = node[key as string] as Record<string, Json>;
  node[path.at(-1) as string] = value;
  return copy;
}

/** How a value reads in the diff: decimals as written, anything else as JSON. */
export function shown(value: Json | undefined): string {
  if (value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function rateCardText(document: Json): string {
  return JSON.stringify(at(document, ["rateCard"]) ?? null, null, 2);
}

/** A whole number stays a number (days, milliseconds); anything else goes as typed, for the server to judge. */
function wholeOrText(text: string): Json {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : text;
}

function Field(props: {
  id: string;
  label: string;
  value: Json | undefined;
  onChange: (text: string) => void;
  suffix?: string;
  integer?: boolean;
}) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={props.id} className="text-sm">
        {props.label}
      </label>
      <div className="flex items-center gap-2">
        <input
          id={props.id}
          name={props.id}
          className={`${inputClass} tabular-nums`}
          inputMode={props.integer ? "numeric" : "decimal"}
          autoComplete="off"
          value={props.value === undefined || props.value === null ? "" : String(props.value)}
          onChange={(e) => props.onChange(e.target.value)}
        />
        {props.suffix ? <span className={`shrink-0 text-sm ${mutedText}`}>{props.suffix}</span> : null}
      </div>
    </div>
  );
}

function Group(props: { legend: string; hint?: string; children: React.ReactNode; columns?: string }) {
  return (
    <fieldset className="flex min-w-0 flex-col gap-2">
      <legend className="text-sm font-semibold">{props.legend}</legend>
      {props.hint ? <p className={`text-xs ${mutedText}`}>{props.hint}</p> : null}
      <div className={`grid gap-3 ${props.columns ?? "grid-cols-2"}`}>{props.children}</div>
    </fieldset>
  );
}

export function ChangesTable({ changes, caption }: { changes: Change[]; caption: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-sm" data-testid="program-diff">
        <caption className="sr-only">{caption}</caption>
        <TableHead boxed columns={["Field", "Now", "New"]} />
        <tbody>
          {changes.map((c) => (
            <tr key={c.path} className="border-t border-zinc-100 align-top dark:border-zinc-800">
              <th scope="row" className="px-3 py-2 text-left font-mono text-xs font-normal break-all">
                {c.path}
              </th>
              <td className="px-3 py-2 font-mono text-xs break-all text-red-800 dark:text-red-300">
                <span className="sr-only">from </span>
                {shown(c.from)}
              </td>
              <td className="px-3 py-2 font-mono text-xs break-all text-emerald-800 dark:text-emerald-300">
                <span className="sr-only">to </span>
                {shown(c.to)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RewardsFields({ doc, set }: { doc: Json; set: (path: (string | number)[], value: Json) => void }) {
  const shares = (kind: "user" | "provider") => (at(doc, ["shares", kind]) as Json[] | undefined) ?? [];
  const setShare = (kind: "user" | "provider", level: number, text: string) => {
    const levels = [0, 1, 2].map((i) => (i === level ? text : String(shares(kind)[i] ?? "")));
    while (levels.length > 0 && levels.at(-1)!.trim() === "") levels.pop();
    set(["shares", kind], levels);
  };
  return (
    <>
      <Group legend="Direct bonus" hint="Points paid to the referrer when its code is used.">
        {(["user", "provider"] as const).map((kind) => (
          <Field
            key={kind}
            id={`rewards-bonus-${kind}`}
            label={kind === "user" ? "User's code" : "Provider's code"}
            suffix="points"
            value={at(doc, ["directBonus", kind])}
            onChange={(t) => set(["directBonus", kind], t)}
          />
        ))}
      </Group>
      <Group
        legend="Referral shares"
        hint="Percent of the earner's base reward paid on levels 1, 2 and 3; leave a level empty to stop there."
        columns="grid-cols-3"
      >
        {(["user", "provider"] as const).flatMap((kind) =>
          [0, 1, 2].map((level) => (
            <Field
              key={`${kind}-${level}`}
              id={`rewards-share-${kind}-${level + 1}`}
              label={`${kind === "user" ? "User" : "Provider"} level ${level + 1}`}
              suffix="%"
              value={shares(kind)[level] ?? ""}
              onChange={(t) => setShare(kind, level, t)}
            />
          )),
        )}
      </Group>
      <Group legend="Usage points" hint="Points per request plus points per token, by endpoint.">
        {ENDPOINTS.flatMap((endpoint) =>
          (["base", "perToken"] as const).map((part) => (
            <Field
              key={`${endpoint}-${part}`}
              id={`rewards-usage-${endpoint.slice(1).replace("/", "-")}-${part}`}
              label={`${endpoint} ${part === "base" ? "per request" : "per token"}`}
              value={at(doc, ["usagePoints", endpoint, part])}
              onChange={(t) => set(["usagePoints", endpoint, part], t)}
            />
          )),
        )}
      </Group>
      <Group legend="Provider uptime" columns="grid-cols-1 sm:grid-cols-2">
        <Field
          id="rewards-uptime"
          label="Points per hour of uptime"
          value={at(doc, ["uptimePointsPerHour"])}
          onChange={(t) => set(["uptimePointsPerHour"], t)}
        />
      </Group>
    </>
  );
}

function PerpetualFields({ doc, set }: { doc: Json; set: (path: (string | number)[], value: Json) => void }) {
  const currencies = (at(doc, ["currencies"]) as string[] | undefined) ?? [];
  return (
    <>
      <Group legend="Transaction fee" hint="Percent of each offramp or pay transaction.">
        <Field
          id="perpetual-fee"
          label="Whole fee"
          suffix="%"
          value={at(doc, ["feePercent"])}
          onChange={(t) => set(["feePercent"], t)}
        />
        <Field
          id="perpetual-referrer"
          label="Referrer's part"
          suffix="%"
          value={at(doc, ["referrerPercent"])}
          onChange={(t) => set(["referrerPercent"], t)}
        />
      </Group>
      <fieldset className="flex flex-col gap-2">
        <legend className="text-sm font-semibold">Currencies</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-2">
          {CURRENCY_CODES.map((code) => (
            <label key={code} className="flex min-h-10 items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4"
                checked={currencies.includes(code)}
                onChange={(e) =>
                  set(["currencies"], e.target.checked ? [...currencies, code] : currencies.filter((c) => c !== code))
                }
              />
              {code}
            </label>
          ))}
        </div>
      </fieldset>
      <Group legend="Claims" columns="grid-cols-1 sm:grid-cols-3">
        <Field
          id="perpetual-cooldown"
          label="Cooldown"
          suffix="days"
          integer
          value={at(doc, ["cooldownDays"])}
          onChange={(t) => set(["cooldownDays"], wholeOrText(t))}
        />
        <Field
          id="perpetual-hold"
          label="Hold of new fees"
          suffix="days"
          integer
          value={at(doc, ["holdDays"])}
          onChange={(t) => set(["holdDays"], wholeOrText(t))}
        />
        <Field
          id="perpetual-min-claim"
          label="Minimum claim"
          suffix="USD"
          value={at(doc, ["minClaimUsd"])}
          onChange={(t) => set(["minClaimUsd"], t)}
        />
      </Group>
    </>
  );
}

/**
 * One program's rules in force as a form. "Review changes" asks the server what the edit would change (nothing is
 * written) and shows it as a diff to confirm; confirming makes it the next version.
 */
export function ProgramEditor(props: {
  name: ProgramName;
  title: string;
  version: number;
  effectiveFrom: string;
  document: Json;
}) {
  const [doc, setDoc] = useState<Json>(props.document);
  const [rateCard, setRateCard] = useState(() => rateCardText(props.document));
  // A new version (this change, or another operator's) becomes the form's starting point; the outcome stays.
  const [shownVersion, setShownVersion] = useState(props.version);
  if (shownVersion !== props.version) {
    setShownVersion(props.version);
    setDoc(props.document);
    setRateCard(rateCardText(props.document));
  }
  const [review, setReview] = useState<{ patch: JsonObject; changes: Change[]; basedOn: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<ApplyState | null>(null);
  const [pending, startTransition] = useTransition();
  const set = (path: (string | number)[], value: Json) => setDoc((d) => withValue(d, path, value));
  const headingId = `program-${props.name}-heading`;

  const edited = (): Json => {
    if (props.name !== "rewards") return doc;
    try {
      return withValue(doc, ["rateCard"], JSON.parse(rateCard) as Json);
    } catch {
      throw new Error("Rate card: not valid JSON.");
    }
  };

  const startReview = () => {
    setOutcome(null);
    setProblem(null);
    let patch: Json | undefined;
    try {
      patch = createMergePatch(props.document, edited());
    } catch (error) {
      setProblem((error as Error).message);
      return;
    }
    if (patch === undefined) {
      setProblem("Nothing to change: the form shows the version in force.");
      return;
    }
    const body = patch as JsonObject;
    startTransition(async () => {
      const result = await reviewProgramChange(props.name, body);
      if ("message" in result) setProblem(result.message);
      else setReview({ patch: body, changes: result.changes, basedOn: result.basedOn });
    });
  };

  const confirm = () => {
    if (!review) return;
    const { patch, basedOn } = review;
    setReview(null);
    startTransition(async () => setOutcome(await applyProgramChange(props.name, patch, basedOn)));
  };

  return (
    <Card
      id={headingId}
      title={props.title}
      description={
        <>
          <span data-testid={`program-${props.name}-version`}>Version {props.version}</span>, in force since{" "}
          <LocalTime iso={props.effectiveFrom} />.
        </>
      }
    >
      <form
        className="flex flex-col gap-5"
        aria-labelledby={headingId}
        onSubmit={(e) => {
          e.preventDefault();
          startReview();
        }}
      >
        {props.name === "rewards" ? <RewardsFields doc={doc} set={set} /> : <PerpetualFields doc={doc} set={set} />}
        {props.name === "rewards" ? (
          <details className="flex flex-col gap-2">
            <summary className="cursor-pointer text-sm font-semibold">Provider rate card (JSON)</summary>
            <p className={`mt-2 text-xs ${mutedText}`}>
              Tiers, service multipliers, token services, models with their tier and complexity, and the latency
              multipliers (docs/rewards.md).
            </p>
            <label htmlFor="rewards-rate-card" className="sr-only">
              Provider rate card as JSON
            </label>
            <textarea
              id="rewards-rate-card"
              className={`${inputClass} mt-2 h-72 font-mono text-xs`}
              spellCheck={false}
              value={rateCard}
              onChange={(e) => setRateCard(e.target.value)}
            />
          </details>
        ) : null}
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={buttonPrimary} disabled={pending}>
            {pending ? "Working…" : "Review changes"}
          </button>
          <button
            type="button"
            className={buttonSecondary}
            disabled={pending}
            onClick={() => {
              setDoc(props.document);
              setRateCard(rateCardText(props.document));
              setProblem(null);
            }}
          >
            Reset
          </button>
        </div>
        {problem ? (
          <p
            role="alert"
            className="text-sm text-red-700 dark:text-red-300"
            data-testid={`program-${props.name}-problem`}
          >
            {problem}
          </p>
        ) : null}
        <p
          role="status"
          data-testid={`program-${props.name}-outcome`}
          className={`text-sm ${outcome?.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}
        >
          {outcome?.message}
        </p>
      </form>
      <ConfirmDialog
        open={review !== null}
        title={`Make version ${(review?.basedOn ?? props.version) + 1} of ${props.title}?`}
        confirmLabel="Confirm change"
        onConfirm={confirm}
        onCancel={() => setReview(null)}
      >
        <p className="mb-3">
          It applies to every event recorded after you confirm; recorded events keep their version.
        </p>
        {review ? <ChangesTable changes={review.changes} caption="What changes" /> : null}
      </ConfirmDialog>
    </Card>
  );
}
