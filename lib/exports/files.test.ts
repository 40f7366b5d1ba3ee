// docs/api.md documents each export's columns; this keeps its tables and the files' headers the same, in order.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import "@/app/api/openapi.json/routes";
import { openApiDocument } from "@/lib/api/openapi";
import { EXPORT_NAMES, EXPORTS } from "./files";

const doc = readFileSync(new URL("../../docs/api.md", import.meta.url), "utf8").split("\n");

/** The first cells of the table under the route's heading. */
function documentedColumns(path: string): string[] {
  const start = doc.indexOf(`#### \`GET ${path}\``);
  expect(start, `docs/api.md has a heading for GET ${path}`).toBeGreaterThan(0);
  const end = doc.findIndex((line, i) => i > start && line.startsWith("#"));
  const rows = doc.slice(start + 1, end).filter((line) => line.startsWith("|"));
  return rows.slice(2).map((line) =>
    line
      .split("|")[1]!
      .trim()
      .replace(/^`(.*)`$/, "$1"),
  );
}

describe("the exports' columns", () => {
  it.each(EXPORT_NAMES)("%s: docs/api.md lists the file's header, in order", (name) => {
    expect(documentedColumns(`/api/exports/${name}.csv`)).toEqual(EXPORTS[name].columns.map((c) => c.key));
  });

  it.each(EXPORT_NAMES)("%s: the OpenAPI document answers text/csv and names every column", (name) => {
    const ok = openApiDocument().paths?.[`/api/exports/${name}.csv`]?.get?.responses?.["200"] as {
      content: Record<string, { schema: { description: string } }>;
    };
    expect(Object.keys(ok.content)).toEqual(["text/csv"]);
    for (const column of EXPORTS[name].columns)
      expect(ok.content["text/csv"]!.schema.description).toContain(`\`${column.key}\``);
  });
});
