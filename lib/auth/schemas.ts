/** Request and response shapes of the access routes (docs/api.md, Authentication). */
import { z } from "@/lib/api/openapi";
import { isSafeString } from "@/lib/api/strings";

export const TokenBody = z.object({ accountId: z.string().min(1).max(64) });
export const TokenResponse = z.object({ token: z.string(), expiresAt: z.string().openapi({ format: "date-time" }) });

export const NonceResponse = z.object({ nonce: z.string() });

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an 0x-prefixed 20-byte hex address");
const SiweMessage = z.string().min(1).max(4000);
const Signature = z
  .string()
  .regex(/^0x[0-9a-fA-F]+$/, "a 0x-prefixed hex signature")
  .max(20000);

export const WalletBody = z.object({
  address: Address,
  message: SiweMessage,
  signature: Signature,
  // Any string (or null): an empty or malformed approval is refused as a missing one, 403 and not 400
  // (lib/auth/wallet.ts), so a replacement is refused alike whatever is wrong with the approval.
  currentMessage: z.string().max(4000).nullish().openapi({
    description: "Replacing a linked wallet: a Sign-In with Ethereum message signed by the wallet linked now",
  }),
  currentSignature: z
    .string()
    .max(20000)
    .nullish()
    .openapi({ description: "The linked wallet's signature of currentMessage" }),
});
export const WalletResponse = z.object({ walletAddress: z.string() });

export const AccountWalletParams = z.object({ id: z.string().min(1).max(64) });
export const AccountWalletBody = z.object({ address: Address });

/** The sign-up form (a server action, not a route): messages are shown to the person filling it in. */
const typed = () => z.string().refine(isSafeString, "Remove the invisible characters from this field");

export const SignUpForm = z.object({
  email: z.string().trim().email("Enter a valid email address").max(320),
  password: typed().min(10, "Use at least 10 characters").max(1024),
  kind: z.enum(["user", "provider"]),
  referrer: typed().trim().max(64).optional(),
});
