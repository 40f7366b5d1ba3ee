import Link from "next/link";
import { buttonPrimary, buttonSecondary } from "@/components/ui/styles";

const programs = [
  {
    name: "Rewards & Referrals",
    text: "Users earn points for API usage, providers earn for compute served. Referrers earn a direct bonus and a share of three levels of their network's earnings.",
  },
  {
    name: "Perpetual Earnings",
    text: "Referrers earn 0.3% of every offramp and pay transaction their referrals make, in local currency, claimed weekly as USDC on Base.",
  },
];

export default function Home() {
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-10 px-6 py-16">
      <header className="flex flex-col gap-3">
        <h1 className="text-3xl font-semibold tracking-tight">Referral engine</h1>
        <p className="text-lg text-zinc-600 dark:text-zinc-400">
          Exact money, nothing paid twice, nothing lost. Share your code, watch your network grow, claim what you
          earned.
        </p>
        <div className="mt-2 flex flex-wrap gap-3">
          <Link href="/signin" className={buttonPrimary}>
            Sign in
          </Link>
          <Link href="/dashboard" className={buttonSecondary}>
            Your dashboard
          </Link>
        </div>
      </header>
      <section aria-label="Programs" className="grid gap-4 sm:grid-cols-2">
        {programs.map((p) => (
          <article key={p.name} className="rounded-xl border border-zinc-200 p-5 dark:border-zinc-800">
            <h2 className="font-medium">{p.name}</h2>
            <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{p.text}</p>
          </article>
        ))}
      </section>
      <nav aria-label="More" className="flex flex-wrap gap-4 text-sm">
        <a className="text-indigo-700 underline-offset-4 hover:underline dark:text-indigo-300" href="/docs/api">
          API reference
        </a>
        <a className="text-indigo-700 underline-offset-4 hover:underline dark:text-indigo-300" href="/api/openapi.json">
          OpenAPI document
        </a>
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- the catch-all app/api/[...path] makes the
            rule take every /api path for a page; this one is a JSON route handler, so a plain link is right. */}
        <a className="text-indigo-700 underline-offset-4 hover:underline dark:text-indigo-300" href="/api/health">
          Health
        </a>
        <Link className="text-indigo-700 underline-offset-4 hover:underline dark:text-indigo-300" href="/admin">
          Operator
        </Link>
      </nav>
    </main>
  );
}
