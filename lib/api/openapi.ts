/**
 * The OpenAPI 3.1 document is built from the same zod schemas that validate requests: `route()` registers
 * each route here when its module loads, so a route cannot exist undocumented.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "@/lib/errors";

extendZodWithOpenApi(z);

/** zod with `.openapi()`: schema modules import it from here, so the extension is in place whatever loads first. */
export { z };

const globalRegistry = globalThis as unknown as { __openApiRegistry?: OpenAPIRegistry };
export const registry = (globalRegistry.__openApiRegistry ??= new OpenAPIRegistry());

export const ErrorEnvelope = z
  .object({
    error: z.string().openapi({ example: "No accumulated referral fees to claim" }),
    message: z.string().openapi({ example: "No accumulated referral fees to claim" }),
    code: z
      .enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]])
      .openapi({ example: "nothing_to_claim", description: "Stable machine-readable code (docs/api.md, Errors)" }),
  })
  .openapi("Error");

registry.registerComponent("securitySchemes", "apiKey", { type: "apiKey", in: "header", name: "x-api-key" });
registry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
registry.registerComponent("securitySchemes", "session", {
  type: "apiKey",
  in: "cookie",
  name: "authjs.session-token",
});

const documentedAs = new WeakMap<z.ZodType, z.ZodType>();

/** Documents `schema` as `shown`: for a validator whose accepted input its own shape does not show (a transform). */
export function documentAs<T extends z.ZodType>(schema: T, shown: z.ZodType): T {
  documentedAs.set(schema, shown);
  return schema;
}

/** The schema the OpenAPI document shows for `schema`. */
export function documentedSchema(schema: z.ZodType): z.ZodType {
  return documentedAs.get(schema) ?? schema;
}

export function openApiDocument() {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Referral engine API",
      version: "1.0.0",
      description:
        "Rewards & Referrals (points, provider earnings, three-level shares) and Perpetual Earnings (transaction fees claimed as USDC on Base). Errors are `{error, message, code}`; each route lists its codes, with the exact envelope as an example.",
    },
  });
}
