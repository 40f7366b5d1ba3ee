import type { Decimal } from "@/lib/money";

/**
 * A server value as the browser receives it: lib/api/json.ts writes every Decimal as a JSON number and a Date
 * as its ISO string. Client types derive from the server's with it, so the two cannot drift apart.
 */
export type Wire<T> = T extends Decimal
  ? number
  : T extends Date
    ? string
    : T extends readonly (infer U)[]
      ? Wire<U>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;
