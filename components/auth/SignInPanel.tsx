"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState, useId, useState } from "react";
import { useConnectors } from "wagmi";
import type { WalletConfig } from "@/lib/auth/wallet-config";
import { signUpAction, type SignUpState } from "@/app/signin/actions";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { useSiweProof } from "./use-siwe-proof";

type Kind = "user" | "provider";

const inputClass =
  "w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const buttonClass =
  "inline-flex w-full items-center justify-center rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60";

export function SignInPanel(props: {
  wallet: WalletConfig;
  referralCode: string;
  callbackUrl: string;
  error?: string;
}) {
  // A share link's code says which program it is for: a provider's code signs up a provider.
  const [kind, setKind] = useState<Kind>(props.referralCode.startsWith("prov_") ? "provider" : "user");
  const [referrer, setReferrer] = useState(props.referralCode);
  const [mode, setMode] = useState<"wallet" | "email">("wallet");
  const kindName = useId();

  return (
    <div className="flex flex-col gap-6">
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 text-sm font-medium">I am a</legend>
        <div className="grid grid-cols-2 gap-2">
          {(["user", "provider"] as const).map((k) => (
            <label
              key={k}
              className="flex cursor-pointer items-center gap-2 rounded-lg border border-zinc-300 px-3 py-2 text-sm has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50 dark:border-zinc-700 dark:has-[:checked]:bg-indigo-950"
            >
              <input type="radio" name={kindName} value={k} checked={kind === k} onChange={() => setKind(k)} />
              {k === "user" ? "User (API usage)" : "Provider (compute)"}
            </label>
          ))}
        </div>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">Used when this sign-in creates your account.</p>
      </fieldset>

      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">Referral code (optional)</span>
        <input
          className={inputClass}
          value={referrer}
          onChange={(e) => setReferrer(e.target.value.trim())}
          placeholder="usr_… or prov_…"
          autoComplete="off"
          spellCheck={false}
        />
      </label>

      <div
        role="tablist"
        aria-label="Sign-in method"
        className="grid grid-cols-2 gap-1 rounded-lg bg-zinc-100 p-1 dark:bg-zinc-900"
      >
        {(["wallet", "email"] as const).map((m) => (
          <button
            key={m}
            role="tab"
            type="button"
            aria-selected={mode === m}
            onClick={() => setMode(m)}
            className="rounded-md px-3 py-1.5 text-sm aria-selected:bg-white aria-selected:shadow dark:aria-selected:bg-zinc-800"
          >
            {m === "wallet" ? "Wallet" : "Email"}
          </button>
        ))}
      </div>

      {props.error ? (
        <p
          role="alert"
          className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {props.error}
        </p>
      ) : null}

      {mode === "wallet" ? (
        <WalletSignIn wallet={props.wallet} kind={kind} referrer={referrer} callbackUrl={props.callbackUrl} />
      ) : (
        <EmailSignIn kind={kind} referrer={referrer} callbackUrl={props.callbackUrl} />
      )}
    </div>
  );
}

function WalletSignIn(props: { wallet: WalletConfig; kind: Kind; referrer: string; callbackUrl: string }) {
  const router = useRouter();
  const connectors = useConnectors();
  const prove = useSiweProof(props.wallet.chainId);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function signInWith(connector: (typeof connectors)[number]) {
    setError(null);
    try {
      const { message, signature } = await prove(connector, "Sign in to the referral engine.", setStatus);
      setStatus("Signing in…");
      const result = await signIn("siwe", {
        message,
        signature,
        kind: props.kind,
        referrer: props.referrer,
        redirect: false,
      });
      if (!result || result.error)
        throw new Error(result?.code && result.code !== "credentials" ? result.code : "Sign-in was refused");
      router.push(safeCallbackUrl(props.callbackUrl));
      router.refresh();
    } catch (e) {
      setStatus(null);
      setError(e instanceof Error ? e.message.split("\n")[0]! : "Sign-in failed");
    }
  }

  return (
    <div className="flex flex-col gap-3">
      {connectors.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No wallet found in this browser. Install one, or use email.
        </p>
      ) : (
        connectors.map((connector) => (
          <button
            key={connector.uid}
            type="button"
            className={buttonClass}
            disabled={status !== null}
            onClick={() => signInWith(connector)}
          >
            Sign in with {connector.name === "Injected" ? "browser wallet" : connector.name}
          </button>
        ))
      )}
      <p aria-live="polite" className="min-h-5 text-sm text-zinc-600 dark:text-zinc-400">
        {status}
      </p>
      {error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Signing proves you own the wallet; it costs nothing and sends no transaction. Claims are paid to this wallet on{" "}
        {props.wallet.chainName}.
      </p>
    </div>
  );
}

function EmailSignIn(props: { kind: Kind; referrer: string; callbackUrl: string }) {
  const router = useRouter();
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  /** Signs in with the form's email and password and goes on; the refusal in words otherwise. */
  async function passwordSignIn(form: FormData, refused: string): Promise<string | null> {
    const result = await signIn("password", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (!result || result.error) {
      // A throttled email says so (and until when); any other refusal says nothing about the account.
      return result?.code && result.code !== "credentials" ? result.code : refused;
    }
    router.push(safeCallbackUrl(props.callbackUrl));
    router.refresh();
    return null;
  }

  // Sign-up answers the same for a new email and a taken one; signing in with what was typed then works for a new
  // account and for the owner of the existing one, and tells nobody else which it was.
  const [signUpState, signUp, signingUp] = useActionState<SignUpState, FormData>(async (previous, form) => {
    const accepted = await signUpAction(previous, form);
    if (!accepted.done) return accepted;
    const refused = await passwordSignIn(
      form,
      "We could not sign you in with this email and password. If this email already has an account, sign in with its password.",
    );
    return refused ? { error: refused } : {};
  }, {});

  async function onSignIn(form: FormData) {
    setError(null);
    setPending(true);
    setError(await passwordSignIn(form, "Wrong email or password."));
    setPending(false);
  }

  return (
    <form action={creating ? signUp : onSignIn} className="flex flex-col gap-3">
      <input type="hidden" name="kind" value={props.kind} />
      <input type="hidden" name="referrer" value={props.referrer} />
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">Email</span>
        <input className={inputClass} name="email" type="email" autoComplete="email" required />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">Password</span>
        <input
          className={inputClass}
          name="password"
          type="password"
          autoComplete={creating ? "new-password" : "current-password"}
          minLength={creating ? 10 : undefined}
          required
        />
      </label>
      {error || signUpState.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error ?? signUpState.error}
        </p>
      ) : null}
      <button className={buttonClass} type="submit" disabled={pending || signingUp}>
        {creating ? "Create account" : "Sign in"}
      </button>
      <button
        type="button"
        className="text-sm text-indigo-700 underline-offset-4 hover:underline dark:text-indigo-300"
        onClick={() => setCreating((c) => !c)}
      >
        {creating ? "I have an account: sign in" : "New here? Create an account"}
      </button>
    </form>
  );
}
