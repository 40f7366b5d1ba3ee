/** Scalar's browser bundle, from the installed package: the reference loads nothing from other sites. */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { referenceScriptFile } from "@/lib/api/reference";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const file = referenceScriptFile();
  const { size } = await stat(file);
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "content-length": String(size),
      "cache-control": "public, max-age=86400",
    },
  });
}
