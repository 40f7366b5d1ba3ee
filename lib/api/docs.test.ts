/**
 * docs/api.md is the API's contract in words. This keeps it true to the code wherever a machine can tell: its
 * error-code table is the registry (every code, with its status, and nothing else), and every route the OpenAPI
 * document registers has a section headed by its method and path and a row in the route table.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import "@/app/api/openapi.json/routes";
import { ERROR_CODES } from "@/lib/errors";
import { openApiDocument } from "./openapi";

const doc = readFileSync(new URL("../../docs/api.md", import.meta.url), "utf8");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** The lines under a heading, up to the next heading. */
function sectionLines(heading: string): string[] {
  const lines = doc.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`docs/api.md has no "${heading}"`);
  const end = lines.findIndex((line, i) => i > start && /^#{1,6} /.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** Rows of the first markdown table in `lines`, as cells with their backticks removed; the header row excluded. */
function tableRows(lines: string[]): string[][] {
  const rows = lines.filter((line) => line.startsWith("|")).map((line) => line.split("|").slice(1, -1));
  return rows.slice(2).map((cells) => cells.map((cell) => cell.trim().replace(/^`(.*)`$/, "$1")));
}

function documentedRoutes() {
  const headed = new Set<string>();
  for (const line of doc.split("\n").filter((l) => /^#{2,6} /.test(l))) {
    for (const match of line.matchAll(/`([A-Z]+) (\/[^`\s]*)`/g)) headed.add(`${match[1]} ${match[2]}`);
  }
  const listed = new Set(tableRows(sectionLines("## Routes")).map(([method, path]) => `${method} ${path}`));
  return { headed, listed };
}

function registeredRoutes(): string[] {
  const paths = openApiDocument().paths ?? {};
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item?.[method.toLowerCase() as Lowercase<typeof method>]).map(
      (method) => `${method} ${path}`,
    ),
  );
}

describe("docs/api.md", () => {
  it("lists every error code of the registry with its status, and no other", () => {
    const documented = Object.fromEntries(
      tableRows(sectionLines("### Error codes")).map(([code, status]) => [code, Number(status)]),
    );
    const registry = Object.fromEntries(Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status]));
    expect(documented).toEqual(registry);
  });

  it("has a section and a row in the route table for every route of the OpenAPI document", () => {
    const registered = registeredRoutes();
    expect(registered).toContain("POST /api/referral-fees/claim");
    const { headed, listed } = documentedRoutes();
    expect(registered.filter((route) => !headed.has(route))).toEqual([]);
    expect(registered.filter((route) => !listed.has(route))).toEqual([]);
  });

  it("keeps its route table and its sections in step", () => {
    const { headed, listed } = documentedRoutes();
    expect([...headed].filter((route) => !listed.has(route))).toEqual([]);
    expect([...listed].filter((route) => !headed.has(route))).toEqual([]);
  });
});
