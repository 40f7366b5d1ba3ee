/**
 * Strings PostgreSQL cannot store or that no client can mean: a NUL character, or half of a UTF-16 surrogate pair.
 * They are invalid input wherever they appear (a 400 naming the field), never a database error.
 */
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSAFE_STRING_MESSAGE = "contains a NUL character or an unpaired surrogate";

export function isSafeString(value: string): boolean {
  return !UNSAFE.test(value);
}

/** The path to the first string in `value` (object keys included) that is not safe, or null when all are. */
export function unsafeStringPath(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === "string") return isSafeString(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unsafeStringPath(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (!isSafeString(key)) return [...path, JSON.stringify(key).slice(1, -1)];
      const found = unsafeStringPath(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}
