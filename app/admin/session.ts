import { cookies, headers } from "next/headers";
import { ADMIN_COOKIE, ADMIN_SESSION_SECONDS, operatorFromCookie, type ConsoleOperator } from "@/lib/admin/session";
import { getPrisma } from "@/lib/db/client";

/** The operator signed in on this browser, or null. */
export async function currentOperator(): Promise<ConsoleOperator | null> {
  return operatorFromCookie(getPrisma(), (await cookies()).get(ADMIN_COOKIE)?.value);
}

export async function setOperatorCookie(value: string): Promise<void> {
  const proto = (await headers()).get("x-forwarded-proto");
  (await cookies()).set(ADMIN_COOKIE, value, {
    httpOnly: true,
    sameSite: "strict",
    secure: proto === "https",
    path: "/admin",
    maxAge: ADMIN_SESSION_SECONDS,
  });
}

export async function clearOperatorCookie(): Promise<void> {
  (await cookies()).delete({ name: ADMIN_COOKIE, path: "/admin" });
}
