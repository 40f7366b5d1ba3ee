/** A CSV export as an HTTP answer: streamed as it is produced, saved by browsers under its own file name. */
import type { CsvExport } from "@/lib/exports/files";

export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";

export function csvResponse(file: CsvExport): Response {
  return new Response(file.body, {
    status: 200,
    headers: {
      "content-type": CSV_CONTENT_TYPE,
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    },
  });
}
