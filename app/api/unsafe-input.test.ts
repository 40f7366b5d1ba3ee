/**
 * The inputs an outside review sent that gave a 500 (docs/security.md, Input): a NUL in a referral code, in a query
 * parameter, in an operator route's path. Each is now a 400 naming the field, on the real routes.
 */
import { describe, expect, it } from "vitest";
import { PUT as replaceWallet } from "@/app/api/accounts/[id]/wallet/route";
import { POST as apply } from "@/app/api/referrals/apply/route";
import { GET as network } from "@/app/api/referrals/network/route";
import { GET as userStats } from "@/app/api/user/[userId]/referral-stats/route";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";

const { db, auth } = await integrationSetup();
const { id } = await db.prisma.account.create({ data: { id: "usr_unsafeinput00000001", kind: "USER" } });
const user = await auth.as(id);

describe("a NUL where an id goes", () => {
  it.each([
    [
      "a referral code applied by a user",
      () => call(apply, { path: "/api/referrals/apply", headers: user, body: { code: "usr_\u0000" } }),
      "body.code",
    ],
    [
      "a referral code applied by the operator",
      () =>
        call(apply, {
          path: "/api/referrals/apply",
          headers: auth.operator,
          body: { accountId: id, code: "usr_\u0000" },
        }),
      "body.code",
    ],
    [
      "the network's parent",
      () => call(network, { path: "/api/referrals/network?parent=usr_%00", headers: user }),
      "query.parent",
    ],
    [
      "an operator route's account id",
      () =>
        call(replaceWallet, {
          method: "PUT",
          path: "/api/accounts/usr_%00/wallet",
          params: { id: "usr_\u0000" },
          headers: auth.operator,
          body: { address: "0x8ba1f109551bD432803012645Ac136ddd64DBA72" },
        }),
      "params.id",
    ],
    [
      "a stats route's user id",
      () =>
        call(userStats, {
          path: "/api/user/usr_%00/referral-stats",
          params: { userId: "usr_\u0000" },
          headers: auth.operator,
        }),
      "params.userId",
    ],
  ])("%s is a 400 naming the field, and changes nothing", async (_, send, field) => {
    const res = await send();
    expect(res.status, res.text).toBe(400);
    expect(res.json).toMatchObject({ code: "invalid_request" });
    expect(res.json.message).toContain(field);
    expect(await db.prisma.account.findUniqueOrThrow({ where: { id } })).toMatchObject({
      referrerId: null,
      walletAddress: null,
    });
  });
});
