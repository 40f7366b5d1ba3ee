import { mutedText } from "./styles";

export interface Column {
  label: string;
  /** Amounts are right-aligned, so their digits line up. */
  align?: "left" | "right";
  className?: string;
}

/**
 * A table's header row, every cell a column header for screen readers. `boxed` tables sit in a bordered box
 * with padded cells and a tinted header; the others are compact lists inside a card.
 */
export function TableHead({ columns, boxed = false }: { columns: (string | Column)[]; boxed?: boolean }) {
  return (
    <thead className={boxed ? `bg-zinc-50 text-xs dark:bg-zinc-900 ${mutedText}` : `text-xs ${mutedText}`}>
      <tr>
        {columns.map((column) => {
          const { label, align = "left", className = "" } = typeof column === "string" ? { label: column } : column;
          return (
            <th
              key={label}
              scope="col"
              className={[
                boxed ? "px-3 py-2" : "py-1",
                align === "right" ? "text-right" : "text-left",
                "font-medium",
                className,
              ]
                .join(" ")
                .trim()}
            >
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
