/**
 * Keyset page cursors, opaque to clients: the last row's time and id (base64url of `[<tag>|]<ISO time>|<id>`), so
 * pages stay stable while new rows arrive. A `tag` keeps one list from reading another list's cursors.
 */
import { InvalidCursor } from "@/lib/errors";

export function encodePageCursor(at: Date, id: string, tag?: string): string {
  return Buffer.from([...(tag ? [tag] : []), at.toISOString(), id].join("|")).toString("base64url");
}

/** @throws InvalidCursor unless `cursor` is one encodePageCursor wrote with `tag`, for an id of `idShape` */
export function decodePageCursor(cursor: string, idShape: RegExp, tag?: string): { at: Date; id: string } {
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (tag !== undefined && parts.shift() !== tag) throw new InvalidCursor();
  const [time, id] = parts;
  const at = new Date(time ?? "");
  if (!id || !idShape.test(id) || Number.isNaN(at.getTime())) throw new InvalidCursor();
  return { at, id };
}
