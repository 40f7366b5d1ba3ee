import { mutedText } from "./styles";

/** What a list shows while it has nothing: one sentence in a dashed box. */
export function EmptyNote({ children, testId }: { children: React.ReactNode; testId?: string }) {
  return (
    <p
      className={`rounded-lg border border-dashed border-zinc-300 p-6 text-center text-sm dark:border-zinc-700 ${mutedText}`}
      data-testid={testId}
    >
      {children}
    </p>
  );
}

/**
 * The bordered box of a wide table. It scrolls where the screen is narrower than the table, so it is a named region
 * that takes focus: keyboard users can scroll it too. Name it by a heading's id or by a label. It is the containing
 * block of what its cells position absolutely (screen-reader-only text), which would otherwise widen the page.
 */
export function TableBox({
  children,
  labelledBy,
  label,
  scroll = "overflow-x-auto",
}: {
  children: React.ReactNode;
  labelledBy?: string;
  label?: string;
  /** Tailwind overflow classes; a table with a sticky header also limits its height here. */
  scroll?: string;
}) {
  return (
    <div
      className={`relative ${scroll} rounded-lg border border-zinc-200 dark:border-zinc-800`}
      tabIndex={0}
      role="region"
      aria-labelledby={labelledBy}
      aria-label={label}
    >
      {children}
    </div>
  );
}
