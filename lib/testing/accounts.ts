/**
 * Accounts made the way the operator's backend makes them, through `POST /api/accounts` with the secret key, so a
 * test's referral graph is built by the same code as a deployment's.
 */
import { expect } from "vitest";
import { POST as createAccountRoute } from "@/app/api/accounts/route";
import type { TestAuth } from "./auth";
import { call } from "./http";

/** Creates the account and returns its id (its referral code). */
export async function createAccountAsOperator(
  auth: TestAuth,
  body: { kind: "user" | "provider"; referrer?: string; walletAddress?: string },
): Promise<string> {
  const res = await call(createAccountRoute, { method: "POST", path: "/api/accounts", headers: auth.operator, body });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}
