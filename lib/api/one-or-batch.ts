/**
 * The event routes' body: one event, or `{"events": [...]}` with up to `max` of them (docs/api.md, Conventions). Both
 * arrive at the handler as a batch, flagged `single` when a lone event was sent (a lone event's unknown earner is a
 * 404, a batch's a 400). Validation errors name the field as the caller wrote it (`body.userId` for one event,
 * `body.events.3.userId` in a batch), and the OpenAPI document shows the two accepted shapes, not the internal flag.
 */
import { z, type ZodType } from "zod";
import { documentAs } from "./openapi";

export interface OneOrBatch<T> {
  events: T[];
  single: boolean;
}

/** @param key the batch's array field: `events` for the event routes, `reversals` for reversals */
export function oneOrBatch<T extends ZodType>(event: T, max: number, key = "events") {
  const batch = z.object({ [key]: z.array(event).min(1).max(max) });
  const schema = z.unknown().transform((body, ctx): OneOrBatch<z.output<T>> => {
    const single = body !== null && typeof body === "object" && !Array.isArray(body) && !(key in body);
    const result = single ? event.safeParse(body) : batch.safeParse(body);
    if (result.success) {
      return single
        ? { events: [result.data as z.output<T>], single: true }
        : { events: (result.data as Record<string, z.output<T>[]>)[key]!, single: false };
    }
    for (const issue of result.error.issues) ctx.addIssue({ ...issue, code: "custom" });
    return z.NEVER;
  });
  return documentAs(
    schema,
    z.union([event, batch]).openapi({ description: `One item, or {"${key}": [...]} with 1 to ${max} of them` }),
  );
}
