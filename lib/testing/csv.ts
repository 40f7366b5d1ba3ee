/**
 * A strict RFC 4180 reader for tests: CRLF record ends, fields quoted with `"` when they hold a comma, a quote or
 * a line break, quotes doubled inside. Anything else — a bare quote in an unquoted field, text after a closing
 * quote, an unterminated quote, a record of another width than the header, a missing final CRLF — throws, so a
 * test that parses an export also proves its framing.
 */
export function parseCsv<Column extends string = string>(
  text: string,
): { header: string[]; rows: Record<Column, string>[] } {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`Not RFC 4180 CSV at character ${i} (record ${records.length + 1}): ${what}`);
  };
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
        if (text[i] === '"') fail("a quote inside an unquoted field");
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ",") {
      i++;
    } else if (text.startsWith("\r\n", i)) {
      i += 2;
      records.push(record);
      record = [];
    } else {
      fail(i >= text.length ? "no CRLF after the last record" : `unexpected ${JSON.stringify(text[i])}`);
    }
  }
  const [header, ...body] = records;
  if (!header) fail("no header row");
  for (const [n, row] of body.entries()) {
    if (row.length !== header!.length)
      throw new Error(`Record ${n + 2} has ${row.length} fields, the header ${header!.length}`);
  }
  return {
    header: header!,
    rows: body.map((row) => Object.fromEntries(header!.map((key, k) => [key, row[k]!])) as Record<Column, string>),
  };
}
