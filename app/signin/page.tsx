import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInPanel } from "@/components/auth/SignInPanel";
import { WalletProviders } from "@/components/providers/WalletProviders";
import { auth } from "@/lib/auth/nextauth";
import { walletConfig } from "@/lib/auth/wallet-config";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  CredentialsSignin: "Sign-in was refused. Check your details and try again.",
  AccessDenied: "Access denied.",
};

export default async function SignInPage(props: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await props.searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  const session = await auth();
  if (session?.accountId) redirect(callbackUrl);
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-8 px-6 py-12">
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          See your referral network, your earnings, and claim what you earned.
        </p>
      </header>
      <WalletProviders wallet={walletConfig()}>
        <SignInPanel
          wallet={walletConfig()}
          referralCode={params.ref ?? ""}
          callbackUrl={callbackUrl}
          error={params.error ? (ERRORS[params.error] ?? "Sign-in failed.") : undefined}
        />
      </WalletProviders>
    </main>
  );
}
