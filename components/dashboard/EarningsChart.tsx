"use client";

import { useId, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card } from "@/components/ui/Card";
import { formatDay, formatPoints } from "@/components/ui/format";
import type { AccountKind, ReferralStats } from "@/lib/hooks/referrals";
import { TableBox } from "@/components/ui/TableBox";

const CHART_HEIGHT = 288;

/** Mid-tone colours that read on both the light and the dark background. */
const SERIES = (kind: AccountKind) =>
  [
    { key: "base", name: kind === "provider" ? "Compute" : "Usage", color: "#6366f1" },
    { key: "directBonus", name: "Direct bonus", color: "#d97706" },
    { key: "level1", name: "Level 1", color: "#059669" },
    { key: "level2", name: "Level 2", color: "#0284c7" },
    { key: "level3", name: "Level 3", color: "#db2777" },
  ] as const;

/**
 * The 30-day history per level as a stacked bar chart, or the same numbers as a table (for screen readers,
 * keyboards and anyone who wants the exact figures).
 */
export function EarningsChart({ history, kind }: { history: ReferralStats["history"]; kind: AccountKind }) {
  const [view, setView] = useState<"chart" | "table">("chart");
  const series = SERIES(kind);
  const total = history.reduce((t, d) => t + d.total, 0);
  const captionId = useId();

  return (
    <Card
      id="history-heading"
      title="Last 30 days"
      description="Points earned each day (UTC), by where they came from."
      actions={
        <div
          role="group"
          aria-label="Show history as"
          className="inline-flex rounded-lg border border-zinc-300 p-0.5 dark:border-zinc-700"
        >
          {(["chart", "table"] as const).map((v) => (
            <button
              key={v}
              type="button"
              aria-pressed={view === v}
              onClick={() => setView(v)}
              className="min-h-9 rounded-md px-3 text-sm aria-pressed:bg-indigo-600 aria-pressed:text-white"
            >
              {v === "chart" ? "Chart" : "Table"}
            </button>
          ))}
        </div>
      }
    >
      {view === "chart" ? (
        <figure aria-labelledby={captionId} className="m-0">
          <figcaption id={captionId} className="sr-only">
            Stacked bar chart of points earned per day over the last 30 days; switch to the table for the exact numbers.
          </figcaption>
          <div
            style={{ height: CHART_HEIGHT }}
            className="text-xs text-zinc-600 dark:text-zinc-400"
            data-testid="history-chart"
          >
            {total === 0 ? (
              <p className="flex h-full items-center justify-center rounded-lg border border-dashed border-zinc-300 text-sm dark:border-zinc-700">
                No earnings in the last 30 days yet.
              </p>
            ) : (
              <ResponsiveContainer
                width="100%"
                height={CHART_HEIGHT}
                initialDimension={{ width: 600, height: CHART_HEIGHT }}
              >
                <BarChart
                  data={history}
                  margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
                  title="Points earned per day, last 30 days"
                >
                  <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
                  <XAxis
                    dataKey="date"
                    tickFormatter={formatDay}
                    tick={{ fill: "currentColor" }}
                    stroke="currentColor"
                    minTickGap={16}
                    tickMargin={6}
                  />
                  <YAxis
                    tickFormatter={(v: number) => formatPoints(v)}
                    tick={{ fill: "currentColor" }}
                    stroke="currentColor"
                    width={56}
                  />
                  <Tooltip
                    formatter={(value) => formatPoints(Number(value))}
                    labelFormatter={(label) => formatDay(String(label))}
                    // System colours follow the page's light or dark scheme.
                    contentStyle={{
                      background: "Canvas",
                      color: "CanvasText",
                      border: "1px solid GrayText",
                      borderRadius: 8,
                    }}
                    cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
                    itemSorter={(item) => series.findIndex((s) => s.key === item.dataKey)}
                  />
                  <Legend
                    wrapperStyle={{ paddingTop: 8 }}
                    itemSorter={null}
                    // The swatch carries the colour; the text stays in the page's text colour, readable on either background.
                    formatter={(value) => <span className="text-zinc-700 dark:text-zinc-300">{value}</span>}
                  />
                  {series.map((s) => (
                    <Bar
                      key={s.key}
                      dataKey={s.key}
                      name={s.name}
                      stackId="points"
                      fill={s.color}
                      isAnimationActive={false}
                    />
                  ))}
                </BarChart>
              </ResponsiveContainer>
            )}
          </div>
        </figure>
      ) : (
        <TableBox label="Points per day, table" scroll="max-h-[22rem] overflow-auto">
          <table className="w-full min-w-[36rem] text-right text-sm tabular-nums" data-testid="history-table">
            <caption className="sr-only">Points earned per day over the last 30 days, oldest first</caption>
            <thead className="sticky top-0 bg-zinc-50 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-3 py-2 text-left font-medium">
                  Day
                </th>
                {series.map((s) => (
                  <th key={s.key} scope="col" className="px-3 py-2 font-medium">
                    {s.name}
                  </th>
                ))}
                <th scope="col" className="px-3 py-2 font-medium">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {history.map((day) => (
                <tr key={day.date} className="border-t border-zinc-100 dark:border-zinc-800">
                  <th scope="row" className="px-3 py-1.5 text-left font-normal">
                    <time dateTime={day.date}>{formatDay(day.date)}</time>
                  </th>
                  {series.map((s) => (
                    <td key={s.key} className="px-3 py-1.5">
                      {formatPoints(day[s.key])}
                    </td>
                  ))}
                  <td className="px-3 py-1.5 font-medium">{formatPoints(day.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableBox>
      )}
    </Card>
  );
}
