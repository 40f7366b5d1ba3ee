/**
 * Credentials for integration tests: bootstrap keys and an AUTH_SECRET in the environment (as a deployment
 * sets them), and headers for the operator or for one account.
 */
import { randomBytes } from "node:crypto";
import { mintUserToken } from "@/lib/auth/tokens";
import { noteTestSecret } from "./secrets";

export interface TestAuth {
  secretKey: string;
  publishableKey: string;
  /** Headers of the operator's backend. */
  operator: Record<string, string>;
  /** Headers of a front end acting for one account: bearer token + publishable key. */
  as(accountId: string): Promise<{ authorization: string; "x-api-key": string }>;
}

export function createTestAuth(): TestAuth {
  const secretKey = `sk_test_${randomBytes(24).toString("hex")}`;
  const publishableKey = `pk_test_${randomBytes(24).toString("hex")}`;
  process.env.BOOTSTRAP_SECRET_KEY = secretKey;
  process.env.BOOTSTRAP_PUBLISHABLE_KEY = publishableKey;
  process.env.AUTH_SECRET ??= randomBytes(32).toString("hex");
  noteTestSecret(secretKey, publishableKey, process.env.AUTH_SECRET);
  return {
    secretKey,
    publishableKey,
    operator: { "x-api-key": secretKey },
    async as(accountId) {
      const { token } = await mintUserToken(accountId);
      noteTestSecret(token);
      return { authorization: `Bearer ${token}`, "x-api-key": publishableKey };
    },
  };
}
