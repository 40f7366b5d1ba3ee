import { describe, expect, it } from "vitest";
import { renderChart } from "./chart";
import { summarize } from "./load";

describe("the benchmark's chart", () => {
  const svg = renderChart({
    title: "npm run bench -- --accounts 2000",
    notes: ["load average before 1.5", "MISSED  stats <p99> & more"],
    latencies: [
      { name: "stats, largest network", latency: summarize([3, 4, 5, 6, 80]) },
      { name: "nothing measured", latency: summarize([]) },
    ],
    latencyTarget: 50,
    groups: [
      {
        title: "Batched ingestion",
        unit: "ledger rows/s",
        rows: [
          { name: "app", value: 9000 },
          { name: "direct SQL, ledger", value: 20000 },
        ],
        mark: { value: 8000, label: "0.40 × bare ledger insert" },
      },
    ],
  });

  it("is one SVG document with its text escaped", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("MISSED  stats &lt;p99&gt; &amp; more");
    expect(svg).not.toMatch(/<[^a-z/!]/);
  });

  it("draws a line per measured distribution, the target, and a bar per figure with its mark", () => {
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    expect(svg).toContain("stats, largest network: p50 5, p99 80, max 80 ms (n = 5)");
    expect(svg).toContain("target 50 ms");
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg).toContain("20,000");
    expect(svg).toContain("0.40 × bare ledger insert");
  });
});
