/**
 * Plain JSON operations on program documents, shared by the server (a change, its audit entry) and the console
 * (the confirmation's diff). No decimals here: documents are compared as stored, rates as decimal strings.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `patch` applied to `document`: objects merged key by key, arrays and values replaced, `null` removes a key.
 * Built with Object.fromEntries, so a key such as `__proto__` stays a plain key (and then fails validation).
 */
export function mergePatch(document: Json, patch: unknown): Json {
  if (!isObject(patch)) return patch as Json;
  const base = isObject(document) ? document : {};
  const merged = new Map<string, Json>(Object.entries(base));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) merged.delete(key);
    else merged.set(key, mergePatch(merged.get(key) ?? null, value));
  }
  return Object.fromEntries(merged);
}

export interface Change {
  /** Dotted, as a 400 names a field: `shares.user.0`. */
  path: string;
  /** Absent when the key is new. */
  from?: Json;
  /** Absent when the key was removed. */
  to?: Json;
}

/** Every leaf that differs between two documents, in document order. Numbers and their decimal strings are equal. */
export function diffDocuments(before: Json | undefined, after: Json | undefined, path: string[] = []): Change[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffDocuments(before[k], after[k], [...path, k]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffDocuments(before[i], after[i], [...path, String(i)])).flat();
  }
  if (sameLeaf(before, after)) return [];
  const change: Change = { path: path.join(".") };
  if (before !== undefined) change.from = before;
  if (after !== undefined) change.to = after;
  return [change];
}

function sameLeaf(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  const numeric = (v: Json | undefined) =>
    typeof v === "number" || (typeof v === "string" && /^-?[0-9]+(\.[0-9]+)?$/.test(v));
  if (numeric(a) && numeric(b)) return canonicalNumber(String(a)) === canonicalNumber(String(b));
  return JSON.stringify(a) === JSON.stringify(b);
}

/** "1.50" and "1.5" and 1.5 alike, without a float: trims zeros from the text. */
function canonicalNumber(text: string): string {
  const [whole, fraction = ""] = text.split(".");
  const w = whole!.replace(/^(-?)0+(?=\d)/, "$1");
  const f = fraction.replace(/0+$/, "");
  return f ? `${w}.${f}` : w;
}

/**
 * The partial document that turns `before` into `after` under `mergePatch`: changed keys only, `null` for a removed
 * key, arrays and values whole. `undefined` when nothing changed.
 */
export function createMergePatch(before: Json, after: Json): Json | undefined {
  if (isObject(before) && isObject(after)) {
    const patch = new Map<string, Json>();
    for (const key of Object.keys(before)) if (!(key in after)) patch.set(key, null);
    for (const [key, value] of Object.entries(after)) {
      const sub = key in before ? createMergePatch(before[key]!, value) : value;
      if (sub !== undefined) patch.set(key, sub);
    }
    return patch.size === 0 ? undefined : Object.fromEntries(patch);
  }
  return diffDocuments(before, after).length === 0 ? undefined : after;
}
