import { beforeAll, describe, expect, it } from "vitest";
import { POST as usage } from "@/app/api/events/usage/route";
import { createAccountAsOperator } from "@/lib/testing/accounts";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { GET as network } from "./route";

const { auth } = await integrationSetup();

const newAccount = (referrer?: string, kind: "user" | "provider" = "user") =>
  createAccountAsOperator(auth, { kind, referrer });

/** A 1000-token chat: 2 points for the user, 0.3 / 0.16 / 0.08 to its referrers on levels 1-3. */
async function chat(userId: string) {
  const res = await call(usage, {
    method: "POST",
    path: "/api/events/usage",
    headers: auth.operator,
    body: { requestId: `req-${userId}-${Math.random()}`, userId, endpoint: "/chat/completions", tokens: 1000 },
  });
  expect(res.status).toBe(200);
}

async function get(query: string, headers: Record<string, string>) {
  return call(network, { path: `/api/referrals/network${query}`, headers });
}

describe("GET /api/referrals/network", () => {
  // root ─ a1 ─ b1 ─ c1 ─ d1 (level 4: outside root's network)
  //      └ a2
  let root: string, a1: string, a2: string, b1: string, c1: string, d1: string;

  beforeAll(async () => {
    root = await newAccount();
    a1 = await newAccount(root);
    a2 = await newAccount(root);
    b1 = await newAccount(a1);
    c1 = await newAccount(b1);
    d1 = await newAccount(c1);
    for (const id of [a1, b1, c1, d1]) await chat(id);
  });

  it("lists the root's referrals newest first with what each and its branch (to level 3) earned the root", async () => {
    const res = await get("", await auth.as(root));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ rootId: root, parentId: root, parentLevel: 0, total: 2, nextCursor: null });
    expect(res.json.children).toEqual([
      {
        accountId: a2,
        level: 1,
        joinedAt: expect.any(String),
        earnedYou: 0,
        branchEarnedYou: 0,
        referrals: 0,
        branchSize: 0,
      },
      // a1's own 0.3, b1's 0.16 and c1's 0.08; d1 is level 4 and earns the root nothing.
      {
        accountId: a1,
        level: 1,
        joinedAt: expect.any(String),
        earnedYou: 0.3,
        branchEarnedYou: 0.54,
        referrals: 1,
        branchSize: 2,
      },
    ]);
  });

  it("opens a branch one level at a time and stops at level 3", async () => {
    const headers = await auth.as(root);
    const level2 = await get(`?parent=${a1}`, headers);
    expect(level2.status).toBe(200);
    expect(level2.json).toMatchObject({ parentLevel: 1, total: 1 });
    expect(level2.json.children).toEqual([
      {
        accountId: b1,
        level: 2,
        joinedAt: expect.any(String),
        earnedYou: 0.16,
        branchEarnedYou: 0.24,
        referrals: 1,
        branchSize: 1,
      },
    ]);

    const level3 = await get(`?parent=${b1}`, headers);
    expect(level3.json).toMatchObject({ parentLevel: 2, total: 1 });
    // c1 has a referral (d1), but it would be level 4: not counted, not expandable.
    expect(level3.json.children).toEqual([
      {
        accountId: c1,
        level: 3,
        joinedAt: expect.any(String),
        earnedYou: 0.08,
        branchEarnedYou: 0.08,
        referrals: 0,
        branchSize: 0,
      },
    ]);

    const level4 = await get(`?parent=${c1}`, headers);
    expect(level4.status).toBe(404);
    expect(level4.json.error).toBe("Not in your network");
  });

  it("shows a branch from the branch's own point of view when its head asks", async () => {
    const res = await get("", await auth.as(a1));
    expect(res.json.children).toEqual([
      // a1 earns 15% of b1's 2 points and 8% of c1's and 4% of d1's.
      {
        accountId: b1,
        level: 1,
        joinedAt: expect.any(String),
        earnedYou: 0.3,
        branchEarnedYou: 0.54,
        referrals: 1,
        branchSize: 2,
      },
    ]);
  });

  it("refuses a node outside the caller's network and another account's root", async () => {
    const stranger = await newAccount();
    const outside = await get(`?parent=${a1}`, await auth.as(stranger));
    expect(outside.status).toBe(404);
    const otherRoot = await get(`?root=${root}`, await auth.as(stranger));
    expect(otherRoot.status).toBe(403);
    const unknown = await get(`?parent=usr_doesnotexist`, await auth.as(root));
    expect(unknown.status).toBe(404);
  });

  it("lets the operator read any account's network, naming the root", async () => {
    const res = await get(`?root=${root}&parent=${a1}`, auth.operator);
    expect(res.status).toBe(200);
    expect(res.json.children.map((c: { accountId: string }) => c.accountId)).toEqual([b1]);
    const unnamed = await get("", auth.operator);
    expect(unnamed.status).toBe(400);
  });

  it("refuses a caller without credentials and bad input", async () => {
    expect((await get("", {})).status).toBe(401);
    const headers = await auth.as(root);
    expect((await get("?limit=0", headers)).status).toBe(400);
    expect((await get("?limit=101", headers)).status).toBe(400);
    expect((await get("?limit=abc", headers)).status).toBe(400);
    expect((await get("?depth=9", headers)).status).toBe(400);
    const badCursor = await get("?cursor=bm90LWEtY3Vyc29y", headers);
    expect(badCursor.status).toBe(400);
    expect(badCursor.json.message).toContain("query.cursor");
  });
});

describe("paging a large level", () => {
  it("walks every referral exactly once, newest first, in pages of the size asked", async () => {
    const root = await newAccount();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push(await newAccount(root));
    const headers = await auth.as(root);

    const seen: string[] = [];
    const joined: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<typeof get>> = await get(`?limit=10${cursor ? `&cursor=${cursor}` : ""}`, headers);
      expect(res.status).toBe(200);
      expect(res.json.total).toBe(25);
      expect(res.json.children.length).toBeLessThanOrEqual(10);
      seen.push(...res.json.children.map((c: { accountId: string }) => c.accountId));
      joined.push(...res.json.children.map((c: { joinedAt: string }) => c.joinedAt));
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor);

    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(joined).toEqual([...joined].sort().reverse());
  });

  it("keeps its place when new referrals join between pages", async () => {
    const root = await newAccount();
    const first = [await newAccount(root), await newAccount(root), await newAccount(root)];
    const headers = await auth.as(root);
    const page1 = await get("?limit=2", headers);
    await newAccount(root);
    const page2 = await get(`?limit=2&cursor=${page1.json.nextCursor}`, headers);
    const seen = [...page1.json.children, ...page2.json.children].map((c: { accountId: string }) => c.accountId);
    expect(seen.sort()).toEqual([...first].sort());
    expect(page2.json.nextCursor).toBeNull();
  });
});
