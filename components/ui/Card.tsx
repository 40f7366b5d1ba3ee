import { cardClass } from "./styles";

/** A titled section; its heading names the region for screen readers. */
export function Card(props: {
  id: string;
  title: string;
  level?: 2 | 3;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  className?: string;
  children: React.ReactNode;
}) {
  const Heading = props.level === 3 ? "h3" : "h2";
  return (
    <section aria-labelledby={props.id} className={`${cardClass} min-w-0 ${props.className ?? ""}`}>
      <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <Heading id={props.id} className="break-words text-base font-semibold tracking-tight">
            {props.title}
          </Heading>
          {props.description ? (
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{props.description}</p>
          ) : null}
        </div>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}

/** One figure with its label; `hint` says what it counts. */
export function Stat(props: { label: string; value: React.ReactNode; hint?: React.ReactNode; testId?: string }) {
  return (
    <div className={cardClass}>
      <dt className="text-sm text-zinc-600 dark:text-zinc-400">{props.label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums tracking-tight" data-testid={props.testId}>
        {props.value}
      </dd>
      {props.hint ? <dd className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{props.hint}</dd> : null}
    </div>
  );
}
