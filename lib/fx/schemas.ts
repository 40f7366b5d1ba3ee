/** Request and response shapes of the exchange-rate routes (docs/perpetual-earnings.md, Exchange rates). */
import { z } from "@/lib/api/openapi";
import { CURRENCIES } from "@/lib/money";

const Rate = z.object({
  usd: z.number().openapi({ description: "USD per one unit of the currency" }),
  source: z.string().openapi({
    description: "operator:<keyId> for PUT, feed:<url> for FX_SOURCE_URL",
    example: "feed:https://rates.example.com/usd",
  }),
  updatedAt: z.string().openapi({ format: "date-time" }),
});

export const RatesResponse = z.object({ rates: z.partialRecord(z.enum(CURRENCIES), Rate) });

export const SetRatesBody = z
  .object({
    rates: z.record(z.string(), z.union([z.number(), z.string()])).openapi({
      example: { KES: 0.0077, NGN: 0.00063 },
      description: "Positive, at most 18 decimals, known currencies only",
    }),
  })
  .strict();

/** The rates as the reference shows them (docs/perpetual-earnings.md, Exchange rates). */
export const ratesExample = {
  rates: {
    KES: { usd: 0.0077, source: "operator:bootstrap-secret", updatedAt: "2026-02-22T09:00:00.000Z" },
    NGN: { usd: 0.00063, source: "feed:https://rates.example.com/usd", updatedAt: "2026-02-22T09:00:00.000Z" },
  },
} satisfies z.input<typeof RatesResponse>;
