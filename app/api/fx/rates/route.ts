import { route } from "@/lib/api/route";
import { keyActor } from "@/lib/audit/log";
import { getPrisma } from "@/lib/db/client";
import { getFxRates, parseRates, setFxRates } from "@/lib/fx/rates";
import { RatesResponse, SetRatesBody, ratesExample } from "@/lib/fx/schemas";

export const GET = route(
  {
    method: "GET",
    path: "/api/fx/rates",
    auth: "none",
    summary: "Current exchange rates (USD per unit) with their source and time",
    tags: ["Perpetual Earnings"],
    response: RatesResponse,
    examples: { response: ratesExample },
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
    body: SetRatesBody,
    response: RatesResponse,
    errors: ["invalid_rates"],
    examples: { request: { rates: { KES: 0.0077, NGN: "0.00063" } }, response: ratesExample },
  },
  async ({ body, caller }) =>
    setFxRates(getPrisma(), parseRates(body.rates), `operator:${caller.keyId}`, { audit: keyActor(caller) }),
);
