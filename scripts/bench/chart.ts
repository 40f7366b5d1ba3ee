/**
 * The benchmark's figures as one SVG (no charting package: a few dozen shapes): on the left each phase's latency
 * distribution (percentile on a tail scale, milliseconds on a log scale, the target as a dashed line), on the right
 * throughputs and memory as bars, each group with its target or reference marked. People compare runs by looking.
 */
import type { Latencies } from "./load";

export interface ChartInput {
  title: string;
  /** Lines under the title: when, the machine, its load. */
  notes: string[];
  latencies: { name: string; latency: Latencies }[];
  /** Milliseconds; drawn as a dashed line across the latency plot. */
  latencyTarget: number;
  groups: {
    title: string;
    unit: string;
    rows: { name: string; value: number }[];
    /** A vertical mark at `value`, e.g. 0.40 × a ceiling or a memory budget. */
    mark?: { value: number; label: string };
  }[];
}

const COLORS = ["#1f6feb", "#d1242f", "#1a7f37", "#bc4c00", "#8250df", "#6e7781", "#bf3989", "#0a7d88"];
const DASHES = ["", "6 3", "2 2", "8 3 2 3"];
const FONT = `font-family="system-ui, -apple-system, 'Segoe UI', sans-serif"`;

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function fmt(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString("en");
  if (value >= 10) return value.toFixed(1).replace(/\.0$/, "");
  return value.toFixed(2).replace(/\.?0+$/, "");
}

/** Position of a percentile on the tail scale: 0 → 0, 90 → 1, 99 → 2, 99.9 → 3; the maximum a little beyond. */
const TAIL_MAX = 3.4;
function tail(percentile: number): number {
  return percentile >= 100 ? TAIL_MAX : Math.min(3, -Math.log10(1 - percentile / 100));
}

/** 1-2-5 ticks covering [low, high]. */
function logTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(low)); decade <= high * 10; decade *= 10) {
    for (const m of [1, 2, 5]) {
      const t = decade * m;
      if (t >= low * 0.999 && t <= high * 1.001) ticks.push(t);
    }
  }
  return ticks;
}

/** Lines of at most `width` characters, broken at spaces (a long command line). */
function wrap(line: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of line.split(" ")) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  return [...lines, current];
}

function text(x: number, y: number, content: string, attrs = ""): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(content)}</text>`;
}

export function renderChart(input: ChartInput): string {
  const width = 1040;
  const parts: string[] = [];
  const titleLines = wrap(input.title, 110);
  const header = 24 + titleLines.length * 18 + input.notes.length * 16;

  // Latency panel.
  const plot = { left: 70, top: header + 30, width: 470, height: 300 };
  const series = input.latencies.filter((s) => s.latency.distribution.length > 0);
  const values = series.flatMap((s) => s.latency.distribution.map(([, ms]) => ms)).concat(input.latencyTarget);
  const low = 10 ** Math.floor(Math.log10(Math.max(0.5, Math.min(...values))));
  const high = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const y = (ms: number) =>
    plot.top + plot.height - ((Math.log10(Math.max(ms, low)) - Math.log10(low)) / Math.log10(high / low)) * plot.height;
  const x = (percentile: number) => plot.left + (tail(percentile) / TAIL_MAX) * plot.width;
  parts.push(
    text(plot.left, plot.top - 12, "Latency distribution (ms, log scale) by percentile", `font-size="14" font-weight="600"`),
  );
  for (const t of logTicks(low, high)) {
    parts.push(
      `<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#d0d7de" stroke-width="1"/>`,
      text(plot.left - 6, y(t) + 4, fmt(t), `font-size="11" text-anchor="end" fill="#57606a"`),
    );
  }
  for (const [p, label] of [
    [0, "min"],
    [50, "p50"],
    [90, "p90"],
    [99, "p99"],
    [99.9, "p99.9"],
    [100, "max"],
  ] as const) {
    parts.push(
      `<line x1="${x(p).toFixed(1)}" x2="${x(p).toFixed(1)}" y1="${plot.top}" y2="${plot.top + plot.height}" stroke="#d0d7de" stroke-width="1"/>`,
      text(x(p), plot.top + plot.height + 16, label, `font-size="11" text-anchor="middle" fill="#57606a"`),
    );
  }
  const ty = y(input.latencyTarget);
  parts.push(
    `<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${ty.toFixed(1)}" y2="${ty.toFixed(1)}" stroke="#24292f" stroke-width="1.5" stroke-dasharray="5 4"/>`,
    text(plot.left + 4, ty - 4, `target ${fmt(input.latencyTarget)} ms`, `font-size="11" fill="#24292f"`),
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const dash = DASHES[Math.floor(i / 2) % DASHES.length]!;
    const points = s.latency.distribution.map(([p, ms]) => `${x(p).toFixed(1)},${y(ms).toFixed(1)}`).join(" ");
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`,
    );
    const ly = plot.top + plot.height + 40 + i * 17;
    parts.push(
      `<line x1="${plot.left}" x2="${plot.left + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`,
      text(
        plot.left + 30,
        ly,
        `${s.name}: p50 ${fmt(s.latency.p50)}, p99 ${fmt(s.latency.p99)}, max ${fmt(s.latency.max)} ms (n = ${s.latency.count.toLocaleString("en")})`,
        `font-size="12"`,
      ),
    );
  });
  const leftBottom = plot.top + plot.height + 40 + series.length * 17;

  // Bars panel.
  const bars = { left: 610, width: 300 };
  let by = header + 18;
  for (const group of input.groups) {
    parts.push(text(bars.left, by, `${group.title} (${group.unit})`, `font-size="14" font-weight="600"`));
    by += 10;
    const max = Math.max(...group.rows.map((r) => r.value), group.mark?.value ?? 0) || 1;
    const top = by;
    group.rows.forEach((row, i) => {
      const length = (row.value / max) * bars.width;
      parts.push(
        text(bars.left, by + 13, row.name, `font-size="12"`),
        `<rect x="${bars.left}" y="${by + 18}" width="${Math.max(1, length).toFixed(1)}" height="12" fill="${COLORS[i % COLORS.length]}"/>`,
        text(bars.left + length + 6, by + 28, fmt(row.value), `font-size="12"`),
      );
      by += 36;
    });
    if (group.mark) {
      const mx = bars.left + (group.mark.value / max) * bars.width;
      parts.push(
        `<line x1="${mx.toFixed(1)}" x2="${mx.toFixed(1)}" y1="${top + 14}" y2="${by}" stroke="#24292f" stroke-width="1.5" stroke-dasharray="5 4"/>`,
        text(mx, by + 12, group.mark.label, `font-size="11" text-anchor="middle" fill="#24292f"`),
      );
      by += 14;
    }
    by += 24;
  }

  const height = Math.ceil(Math.max(leftBottom, by) + 10);
  const notesTop = 26 + titleLines.length * 18;
  const head = [
    ...titleLines.map((line, i) => text(16, 24 + i * 18, line, `font-size="14" font-weight="700"`)),
    ...input.notes.map((note, i) =>
      text(16, notesTop + i * 16, note, `font-size="12" fill="#57606a" xml:space="preserve"`),
    ),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} role="img" aria-label="${esc(input.title)}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<g fill="#24292f">`,
    ...head,
    ...parts,
    `</g>`,
    `</svg>`,
    "",
  ].join("\n");
}
