/** Where the API reference page (app/docs/api) gets Scalar's browser bundle. */
import { join } from "node:path";

export const REFERENCE_SCRIPT_PATH = "/docs/api/reference.js";

/** The standalone build of the version installed beside @scalar/nextjs-api-reference (the lock file pins both). */
export function referenceScriptFile(): string {
  return join(process.cwd(), "node_modules", "@scalar", "api-reference", "dist", "browser", "standalone.js");
}
