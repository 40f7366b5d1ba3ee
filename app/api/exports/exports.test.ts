// The three CSV exports through their routes, on a real PostgreSQL and a local anvil chain: every file parsed back
// with a strict RFC 4180 reader and compared with the database and the chain.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouteHandler } from "@/lib/api/route";
import { EXPORTS, type ExportColumn, type ExportName } from "@/lib/exports/files";
import { dec } from "@/lib/money";
import { createAccountAsOperator } from "@/lib/testing/accounts";
import { parseCsv } from "@/lib/testing/csv";
import { chainKit, newWalletAddress, payoutEnv, setRates, type ChainKit } from "@/lib/testing/fees";
import { call } from "@/lib/testing/http";
import { integrationSetup } from "@/lib/testing/integration";
import { startLocalChain } from "@/scripts/local-chain";
import { POST as usageRoute } from "../events/usage/route";
import { POST as transactionsRoute } from "../events/transactions/route";
import { POST as claimRoute } from "../referral-fees/claim/route";
import { GET as claimsCsv } from "./claims.csv/route";
import { GET as feeEntriesCsv } from "./fee-entries.csv/route";
import { GET as ledgerCsv } from "./ledger.csv/route";

const { db, auth } = await integrationSetup();
let kit: ChainKit;

const ROUTES: Record<ExportName, { handler: RouteHandler; path: string }> = {
  ledger: { handler: ledgerCsv, path: "/api/exports/ledger.csv" },
  "fee-entries": { handler: feeEntriesCsv, path: "/api/exports/fee-entries.csv" },
  claims: { handler: claimsCsv, path: "/api/exports/claims.csv" },
};

function get(name: ExportName, query: Record<string, string> = {}, headers: Record<string, string> = auth.operator) {
  const { handler, path } = ROUTES[name];
  const search = new URLSearchParams(query).toString();
  return call(handler, { path: search ? `${path}?${search}` : path, headers });
}

/** The export, checked as a download and parsed strictly. */
async function exported<N extends ExportName>(name: N, query: Record<string, string> = {}) {
  const res = await get(name, query);
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(res.headers.get("content-disposition")).toMatch(
    new RegExp(`^attachment; filename="${name}-\\d{8}T\\d{6}Z\\.csv"$`),
  );
  const csv = parseCsv<ExportColumn<N>>(res.text);
  expect(csv.header).toEqual(EXPORTS[name].columns.map((c) => c.key));
  return csv.rows;
}

const account = (body: { kind: "user" | "provider"; referrer?: string; walletAddress?: string }) =>
  createAccountAsOperator(auth, body);

async function usage(userId: string, requestId: string, tokens: number) {
  const body = { requestId, userId, endpoint: "/chat/completions", tokens };
  const res = await call(usageRoute, { method: "POST", path: "/api/events/usage", headers: auth.operator, body });
  expect(res.status).toBe(200);
}

async function transaction(userId: string, orderId: string, amount: string, currency: string) {
  const body = { orderId, userId, type: "offramp", amount, currency };
  const res = await call(transactionsRoute, {
    method: "POST",
    path: "/api/events/transactions",
    headers: auth.operator,
    body,
  });
  expect(res.status).toBe(200);
}

/** Ids that need quoting: a comma, a doubled quote, CRLF, a lone LF and a lone CR. */
const AWKWARD_REQUEST = 'req,1 "quoted"\r\nline two\nthree\rfour';
const AWKWARD_ORDER = 'ord,"A"\r\nB';

const EXACT_DECIMAL = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/;

let referrer: string;
let referred: string;
let paid: string;
let paidBuyer: string;
let failing: string;
let failingBuyer: string;

beforeAll(async () => {
  kit = chainKit(await startLocalChain({ quiet: true }));
  Object.assign(process.env, payoutEnv(kit.chain));
  await setRates(db.prisma, { KES: "0.0077", NGN: "0.00063" });

  referrer = await account({ kind: "user" });
  referred = await account({ kind: "user", referrer });
  await usage(referred, AWKWARD_REQUEST, 1000);
  await usage(referred, "req-plain", 1234);
  await transaction(referred, AWKWARD_ORDER, "1234.5", "KES");

  // The seed's example, claimed and paid on the chain: 150 KES + 600 NGN → $1.533.
  paid = await account({ kind: "user", walletAddress: newWalletAddress() });
  paidBuyer = await account({ kind: "user", referrer: paid });
  await transaction(paidBuyer, "ord-paid-kes", "50000", "KES");
  await transaction(paidBuyer, "ord-paid-ngn", "200000", "NGN");
  const claimed = await call(claimRoute, {
    method: "POST",
    path: "/api/referral-fees/claim",
    headers: await auth.as(paid),
  });
  expect(claimed.json).toMatchObject({ status: "COMPLETED", amountUsd: 1.533 });

  // A claim whose transfer reverts: FAILED, no hash, its entry stays unclaimed.
  const blocked = newWalletAddress();
  failing = await account({ kind: "user", walletAddress: blocked });
  failingBuyer = await account({ kind: "user", referrer: failing });
  await transaction(failingBuyer, "ord-failing", "10000", "KES");
  await kit.setBlacklisted(blocked, true);
  const refused = await call(claimRoute, {
    method: "POST",
    path: "/api/referral-fees/claim",
    headers: await auth.as(failing),
  });
  expect(refused.json).toMatchObject({ status: "FAILED", transactionHash: null });
});

afterAll(async () => {
  await kit?.chain.stop();
});

describe("GET /api/exports/ledger.csv", () => {
  it("has every ledger row, field for field, with exact decimals and awkward ids quoted", async () => {
    const rows = await exported("ledger");
    const stored = await db.prisma.ledgerEntry.findMany({ orderBy: { id: "asc" } });
    expect(rows).toEqual(
      stored.map((r) => ({
        id: r.id.toString(),
        accountId: r.accountId,
        unit: r.unit,
        amount: dec(r.amount.toString()).toFixed(),
        kind: r.kind,
        level: String(r.level),
        sourceEvent: r.sourceEvent,
        originAccountId: r.originAccountId ?? "",
        createdAt: r.createdAt.toISOString(),
      })),
    );
    // 1,000 tokens of chat = 2 points; the referrer's 15 % = 0.3; 1,234 tokens = 2.234, 15 % = 0.3351.
    const bySource = (source: string, level: number) =>
      rows.find((r) => r.sourceEvent === source && r.level === String(level))?.amount;
    expect(bySource(`usage:${AWKWARD_REQUEST}`, 0)).toBe("2");
    expect(bySource(`usage:${AWKWARD_REQUEST}`, 1)).toBe("0.3");
    expect(bySource("usage:req-plain", 0)).toBe("2.234");
    expect(bySource("usage:req-plain", 1)).toBe("0.3351");
    expect(bySource(`referral:${referred}`, 1)).toBe("25");
    for (const row of rows) expect(row.amount).toMatch(EXACT_DECIMAL);
  });

  it("writes negative, tiny and large amounts as plain exact decimals", async () => {
    const someone = await account({ kind: "user" });
    const amounts = [
      "-1.5",
      "0.000000000000000001",
      "-0.000000000000000001",
      "12345678901234567890.123456789012345678",
    ];
    await db.prisma.ledgerEntry.createMany({
      data: amounts.map((amount, i) => ({
        accountId: someone,
        unit: "POINTS",
        amount,
        kind: "BASE",
        level: 0,
        sourceEvent: `fixture:amount:${i}`,
        originAccountId: someone,
      })),
    });
    const rows = await exported("ledger", { accountId: someone });
    expect(rows.filter((r) => r.sourceEvent.startsWith("fixture:")).map((r) => r.amount)).toEqual(amounts);
    expect(rows.map((r) => r.accountId)).toEqual(rows.map(() => someone));
  });
});

describe("GET /api/exports/fee-entries.csv", () => {
  it("has every fee entry with its claim, oldest first", async () => {
    const rows = await exported("fee-entries");
    const stored = await db.prisma.feeEntry.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(rows).toEqual(
      stored.map((e) => ({
        id: e.id,
        referrerId: e.referrerId,
        transactorUserId: e.transactorId,
        orderId: e.orderId,
        currency: e.currency,
        amountLocal: dec(e.amountLocal.toString()).toFixed(),
        claimId: e.claimId ?? "",
        createdAt: e.createdAt.toISOString(),
      })),
    );
    // 0.3 % of 1,234.5 KES, exactly; the order id with a comma, quotes and CRLF comes back as sent.
    expect(rows.find((r) => r.orderId === AWKWARD_ORDER)).toMatchObject({
      referrerId: referrer,
      transactorUserId: referred,
      amountLocal: "3.7035",
      claimId: "",
    });
  });
});

describe("GET /api/exports/claims.csv", () => {
  it("gives each claim a row per currency with the rate used, and ties to the on-chain transfer and the entries", async () => {
    const rows = (await exported("claims", { accountId: paid })).map((r) => ({ ...r }));
    const claim = await db.prisma.claim.findFirstOrThrow({ where: { accountId: paid } });
    expect(rows).toEqual([
      {
        claimId: claim.id,
        accountId: paid,
        status: "COMPLETED",
        amountUsd: "1.533",
        walletAddress: claim.walletAddress,
        transactionHash: claim.transactionHash,
        createdAt: claim.createdAt.toISOString(),
        completedAt: claim.completedAt!.toISOString(),
        currency: "KES",
        amountLocal: "150",
        usdRate: "0.0077",
        currencyAmountUsd: "1.155",
        rateSource: "test",
        rateUpdatedAt: expect.stringMatching(/Z$/),
        entryCount: "1",
      },
      expect.objectContaining({
        claimId: claim.id,
        amountUsd: "1.533",
        currency: "NGN",
        amountLocal: "600",
        usdRate: "0.00063",
        currencyAmountUsd: "0.378",
      }),
    ]);

    // What finance does: the transfer with that hash sent amountUsd in USDC to that wallet...
    const transfers = await kit.transfersTo(rows[0]!.walletAddress);
    expect(transfers).toEqual([expect.objectContaining({ hash: rows[0]!.transactionHash, value: 1_533_000n })]);
    // ...and the fee entries carrying the claim's id sum, per currency, to the claim's amounts.
    const entries = (await exported("fee-entries", { accountId: paid })).filter((e) => e.claimId === claim.id);
    for (const row of rows) {
      const inCurrency = entries.filter((e) => e.currency === row.currency);
      expect(inCurrency).toHaveLength(Number(row.entryCount));
      expect(inCurrency.reduce((sum, e) => sum.plus(e.amountLocal), dec(0)).toFixed()).toBe(row.amountLocal);
      expect(dec(row.amountLocal).times(row.usdRate).toFixed()).toBe(row.currencyAmountUsd);
    }
  });

  it("shows a failed claim with no hash and no completion time, its entry still unclaimed", async () => {
    const [row] = await exported("claims", { accountId: failing });
    expect(row).toMatchObject({ status: "FAILED", transactionHash: "", completedAt: "", amountUsd: "0.231" });
    const [entry] = await exported("fee-entries", { accountId: failing });
    expect(entry).toMatchObject({ orderId: "ord-failing", claimId: "", amountLocal: "30" });
  });
});

describe("filters", () => {
  // Four fee entries of one referrer at the edges of 2026-03-01 (UTC).
  const AT = {
    before: "2026-02-28T23:59:59.999Z",
    first: "2026-03-01T00:00:00.000Z",
    last: "2026-03-01T23:59:59.999Z",
    after: "2026-03-02T00:00:00.000Z",
  };
  let edge: string;

  beforeAll(async () => {
    edge = await account({ kind: "user" });
    const buyer = await account({ kind: "user", referrer: edge });
    for (const [name, at] of Object.entries(AT)) {
      await transaction(buyer, `edge-${name}`, "1000", "NGN");
      await db.prisma.feeEntry.update({
        where: { orderId_kind: { orderId: `edge-${name}`, kind: "FEE" } },
        data: { createdAt: new Date(at) },
      });
    }
  });

  const orders = async (query: Record<string, string>) =>
    (await exported("fee-entries", { accountId: edge, ...query })).map((r) => r.orderId);

  it("includes both bounds, to the millisecond", async () => {
    expect(await orders({ from: AT.first, to: AT.last })).toEqual(["edge-first", "edge-last"]);
    expect(await orders({ from: "2026-03-01T00:00:00.001Z" })).toEqual(["edge-last", "edge-after"]);
    expect(await orders({ to: "2026-03-01T23:59:59.998Z" })).toEqual(["edge-before", "edge-first"]);
  });

  it("reads a date alone as the whole UTC day, and offsets as the instants they name", async () => {
    expect(await orders({ from: "2026-03-01", to: "2026-03-01" })).toEqual(["edge-first", "edge-last"]);
    expect(await orders({ from: "2026-03-01T03:00:00+03:00", to: "2026-03-01T20:59:59.999-03:00" })).toEqual([
      "edge-first",
      "edge-last",
    ]);
    // A fraction finer than the stored millisecond rounds inward, never widening the range.
    expect(await orders({ from: "2026-02-28T23:59:59.9985Z", to: "2026-03-01T00:00:00.0005Z" })).toEqual([
      "edge-before",
      "edge-first",
    ]);
    expect(await orders({ from: "2026-02-28T23:59:59.9991Z", to: "2026-03-01T23:59:59.9999Z" })).toEqual([
      "edge-first",
      "edge-last",
    ]);
  });

  it("narrows each file to the account that owns its rows", async () => {
    const ledger = await exported("ledger", { accountId: referrer });
    expect(ledger.length).toBeGreaterThan(0);
    expect(new Set(ledger.map((r) => r.accountId))).toEqual(new Set([referrer]));
    expect(ledger.map((r) => r.originAccountId)).toContain(referred);

    // A fee entry belongs to its referrer, not to the user who transacted.
    expect((await exported("fee-entries", { accountId: referrer })).map((r) => r.orderId)).toEqual([AWKWARD_ORDER]);
    expect(await exported("fee-entries", { accountId: referred })).toEqual([]);

    expect(new Set((await exported("claims", { accountId: paid })).map((r) => r.accountId))).toEqual(new Set([paid]));
    expect(await exported("claims", { accountId: referrer })).toEqual([]);
  });

  it("filters the ledger and the claims on their own creation times", async () => {
    const claim = await db.prisma.claim.findFirstOrThrow({ where: { accountId: paid } });
    const at = claim.createdAt.toISOString();
    expect((await exported("claims", { from: at, to: at })).map((r) => r.claimId)).toEqual([claim.id, claim.id]);
    expect(
      await exported("claims", { to: new Date(claim.createdAt.getTime() - 1).toISOString(), accountId: paid }),
    ).toEqual([]);

    const [row] = await db.prisma.ledgerEntry.findMany({ orderBy: { id: "asc" }, take: 1 });
    const instant = row!.createdAt.toISOString();
    const rows = await exported("ledger", { from: instant, to: instant });
    expect(rows.map((r) => r.id)).toContain(row!.id.toString());
    expect(new Set(rows.map((r) => r.createdAt))).toEqual(new Set([instant]));
  });

  it("answers an empty range with the header alone", async () => {
    const res = await get("ledger", { from: "1999-01-01", to: "1999-12-31" });
    expect(res.status).toBe(200);
    expect(res.text).toBe(EXPORTS.ledger.columns.map((c) => c.key).join(",") + "\r\n");
  });
});

describe("refusals", () => {
  it.each([
    [{ from: "yesterday" }, "query.from"],
    [{ to: "2026-02-30" }, "query.to"],
    [{ from: "2026-03-01T24:00:00Z" }, "query.from"],
    [{ to: "2026-03-01T10:00:00+25:00" }, "query.to"],
    [{ from: "2026-03-01 10:00:00" }, "query.from"],
    [{ from: "" }, "query.from"],
    [{ from: "2026-03-02", to: "2026-03-01" }, "query.from: is after to"],
    [{ accountId: "usr_\u0000" }, "query.accountId"],
    [{ account: "usr_x" }, '"account"'],
  ])("%j → 400 naming the field", async (query, named) => {
    for (const name of ["ledger", "fee-entries", "claims"] as const) {
      const res = await get(name, query as Record<string, string>);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: "Invalid request", code: "invalid_request" });
      expect(res.json.message).toContain(named);
    }
  });

  it("answers 404 for an account that does not exist, before sending anything", async () => {
    for (const name of ["ledger", "fee-entries", "claims"] as const) {
      const res = await get(name, { accountId: "usr_nobody00000000000000" });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(res.json).toMatchObject({ code: "not_found" });
    }
  });

  it("is for the operator only: no key, a publishable key, or a user's bearer token → 403", async () => {
    const user = await auth.as(referrer);
    for (const name of ["ledger", "fee-entries", "claims"] as const) {
      const refused: Record<string, string>[] = [
        {},
        { "x-api-key": auth.publishableKey },
        user,
        { authorization: user.authorization },
      ];
      for (const headers of refused) {
        const res = await get(name, {}, headers);
        expect(res.status).toBe(403);
        expect(res.json).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      }
    }
  });
});
