import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { integrationSetup } from "@/lib/testing/integration";
import { route } from "./route";

await integrationSetup();

// A handler that hands its input to PostgreSQL unchecked, as a rule whose schema missed a case would.
const unchecked = route(
  { method: "GET", path: "/api/test/unchecked", auth: "none", summary: "Unchecked input, for tests" },
  async ({ request }) => {
    const value = new URL(request.url).searchParams.get("value") ?? "";
    return getPrisma().$queryRaw`SELECT ${value}::int AS n`;
  },
);

describe("a database error caused by the input", () => {
  it("is a 400, not a 500", async () => {
    for (const value of ["not a number", "99999999999", "\u0000"]) {
      const res = await unchecked(new Request(`http://x/api/test/unchecked?value=${encodeURIComponent(value)}`), {
        params: Promise.resolve({}),
      });
      expect(res.status, value).toBe(400);
      expect((await res.json()).code).toBe("invalid_request");
    }
  });
});
