import { z } from "zod";
import { route } from "@/lib/api/route";
import { getPrisma } from "@/lib/db/client";
import { getFxRates, parseRates, setFxRates } from "@/lib/fx/rates";
import { CURRENCIES } from "@/lib/money";

const Rate = z.object({
  usd: z.number().openapi({ description: "USD per one unit of the currency" }),
  source: z.string().openapi({
    description: "operator:<keyId> for PUT, feed:<url> for FX_SOURCE_URL",
    example: "feed:https://rates.example.com/usd",
  }),
  updatedAt: z.string().openapi({ format: "date-time" }),
});
const Rates = z.object({ rates: z.partialRecord(z.enum(CURRENCIES), Rate) });

export const GET = route(
  {
    method: "GET",
    path: "/api/fx/rates",
    auth: "none",
    summary: "Current exchange rates (USD per unit) with their source and time",
    tags: ["Perpetual Earnings"],
    response: Rates,
  },
  async () => getFxRates(getPrisma()),
);

export const PUT = route(
  {
    method: "PUT",
    path: "/api/fx/rates",
    auth: "secret",
    summary: "Set exchange rates (USD per unit); currencies not listed keep their rate",
    tags: ["Perpetual Earnings"],
    body: z
      .object({
        rates: z.record(z.string(), z.union([z.number(), z.string()])).openapi({
          example: { KES: 0.0077, NGN: 0.00063 },
          description: "Positive, at most 18 decimals, known currencies only",
        }),
      })
      .strict(),
    response: Rates,
  },
  async ({ body, caller }) => setFxRates(getPrisma(), parseRates(body.rates), `operator:${caller.keyId}`),
);
