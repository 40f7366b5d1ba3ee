import "server-only";
import { type Db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { mintUserToken } from "./tokens";

/** A bearer token for an existing account; 404 for an unknown one, so tokens never name nobody. */
export async function issueUserToken(db: Db, accountId: string) {
  const account = await db.account.findUnique({ where: { id: accountId }, select: { id: true } });
  if (!account) throw new NotFound("Account", accountId);
  return mintUserToken(account.id);
}
