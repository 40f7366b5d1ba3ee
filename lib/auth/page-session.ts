/**
 * For pages: the signed-in account, or a redirect to sign-in that comes back here afterwards.
 */
import "server-only";
import { redirect } from "next/navigation";
import { getAccountView, type AccountView } from "@/lib/referrals/accounts";
import { auth } from "./nextauth";
import { getPrisma } from "@/lib/db/client";

export async function requireAccount(returnTo: string): Promise<AccountView> {
  const session = await auth();
  if (!session?.accountId) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  try {
    return await getAccountView(getPrisma(), session.accountId);
  } catch {
    // A session for an account that no longer exists (e.g. a reset demo database): sign in again.
    redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  }
}
