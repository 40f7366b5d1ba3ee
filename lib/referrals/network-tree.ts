/**
 * One account's referral network as a tree, three levels deep, read one page of one node's referrals at a time
 * so a network of any size is shown without loading it whole (docs/dashboards.md).
 *
 * A page costs four queries whatever the network's size: the parent's place in the root's network (1), the
 * parent's direct count from the maintained network_count (1), the page of referrals (1, read in order from the
 * (referrer_id, referred_at DESC, id DESC) index, so no siblings are sorted), and what each referral and its
 * branch earned the root (1): its members are found on that index's referrer_id prefix (two hops for depth 2)
 * and each member's earnings by primary key in referral_contribution, so the cost grows with the branches on
 * the page, not with the network.
 */
import "server-only";
import { Prisma, type Db } from "@/lib/db/client";
import { decodePageCursor, encodePageCursor } from "@/lib/db/page-cursor";
import { DomainError } from "@/lib/errors";
import { dec, type Decimal } from "@/lib/money";

export const NETWORK_PAGE_SIZE = 20;
export const MAX_NETWORK_PAGE_SIZE = 100;
/** Levels below the root that earn it shares; nothing deeper is shown. */
export const NETWORK_DEPTH = 3;

export interface NetworkNode {
  accountId: string;
  /** 1-3: the level this referral sits on in the root's network. */
  level: number;
  /** When it joined the network (its referrer was set). */
  joinedAt: string;
  /** Shares the root earned from this account's own activity. */
  earnedYou: Decimal;
  /** Shares the root earned from this account and everyone under it within the root's three levels. */
  branchEarnedYou: Decimal;
  /** Its own direct referrals (0 on level 3: those would be level 4, outside the root's network). */
  referrals: number;
  /** Everyone under it within the root's three levels. */
  branchSize: number;
}

export interface NetworkPage {
  rootId: string;
  parentId: string;
  /** 0 for the root itself. */
  parentLevel: number;
  /** The parent's direct referrals in all (this page is part of them). */
  total: number;
  children: NetworkNode[];
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

export class NotInNetwork extends DomainError {
  constructor(accountId: string) {
    super(
      "not_in_network",
      "Not in your network",
      `${accountId} is not within the first two levels of this account's network`,
    );
  }
}

/**
 * Where `parentId` sits in `rootId`'s network: 0 (the root), 1 or 2.
 * @throws NotInNetwork for an account that is not the root nor on its levels 1-2 (a level-3 account's
 *   referrals would be level 4, which the root does not earn from)
 */
async function levelOf(db: Db, rootId: string, parentId: string): Promise<number> {
  if (parentId === rootId) {
    const [root] = await db.$queryRaw<{ id: string }[]>`SELECT id FROM account WHERE id = ${rootId}`;
    if (!root) throw new NotInNetwork(parentId);
    return 0;
  }
  const [row] = await db.$queryRaw<{ level: number | null }[]>`
    SELECT CASE WHEN referrer_id = ${rootId} THEN 1 WHEN ancestor2_id = ${rootId} THEN 2 END AS level
    FROM account WHERE id = ${parentId}`;
  if (!row || row.level === null) throw new NotInNetwork(parentId);
  return row.level;
}

/**
 * One page of `parentId`'s direct referrals as seen from `rootId`, newest first, each with what it and its
 * branch earned the root.
 * @param parentId the root itself, or an account on its level 1 or 2
 */
export async function networkPage(
  db: Db,
  rootId: string,
  parentId: string,
  page: { limit?: number; cursor?: string } = {},
): Promise<NetworkPage> {
  const take = Math.min(Math.max(page.limit ?? NETWORK_PAGE_SIZE, 1), MAX_NETWORK_PAGE_SIZE);
  // Pages follow the join time and id of the last referral shown.
  const after = page.cursor ? decodePageCursor(page.cursor, /^(usr|prov)_[A-Za-z0-9]{1,60}$/) : null;
  const parentLevel = await levelOf(db, rootId, parentId);
  const childLevel = parentLevel + 1;

  const [[count], rows] = await Promise.all([
    db.$queryRaw<{ direct: number }[]>`
      SELECT COALESCE(SUM(direct), 0)::int AS direct FROM network_count WHERE account_id = ${parentId}`,
    db.$queryRaw<{ id: string; joined_at: Date }[]>`
      SELECT id, referred_at AS joined_at FROM account
      WHERE referrer_id = ${parentId}
      ${after ? Prisma.sql`AND (referred_at, id) < (${after.at}, ${after.id})` : Prisma.empty}
      ORDER BY referred_at DESC, id DESC
      LIMIT ${take + 1}`,
  ]);
  const shown = rows.slice(0, take);
  const ids = shown.map((r) => r.id);

  // Members of each shown branch within the root's levels: the referral itself (depth 0), its referrals
  // (depth 1) while they are within level 3, and their referrals (depth 2) likewise.
  const branches =
    ids.length === 0
      ? []
      : await db.$queryRaw<
          { branch: string; own: Prisma.Decimal; total: Prisma.Decimal; size: number; referrals: number }[]
        >`
          WITH members AS (
            SELECT id AS branch, id AS member, 0 AS depth FROM account WHERE id = ANY(${ids}::text[])
            ${childLevel < NETWORK_DEPTH ? Prisma.sql`UNION ALL SELECT referrer_id, id, 1 FROM account WHERE referrer_id = ANY(${ids}::text[])` : Prisma.empty}
            ${
              childLevel < NETWORK_DEPTH - 1
                ? Prisma.sql`UNION ALL SELECT ancestor2_id, id, 2 FROM account
                WHERE referrer_id = ANY(ARRAY(SELECT id FROM account WHERE referrer_id = ANY(${ids}::text[])))`
                : Prisma.empty
            }
          )
          SELECT m.branch,
                 COALESCE(SUM(c.total) FILTER (WHERE m.depth = 0), 0) AS own,
                 COALESCE(SUM(c.total), 0) AS total,
                 (COUNT(*) - 1)::int AS size,
                 (COUNT(*) FILTER (WHERE m.depth = 1))::int AS referrals
          FROM members m
          LEFT JOIN referral_contribution c ON c.beneficiary_id = ${rootId} AND c.origin_id = m.member AND c.unit = 'POINTS'
          GROUP BY m.branch`;
  const byId = new Map(branches.map((b) => [b.branch, b]));
  const last = shown[shown.length - 1];

  return {
    rootId,
    parentId,
    parentLevel,
    total: count!.direct,
    children: shown.map((row) => {
      const b = byId.get(row.id);
      return {
        accountId: row.id,
        level: childLevel,
        joinedAt: row.joined_at.toISOString(),
        earnedYou: dec(b ? b.own.toString() : 0),
        branchEarnedYou: dec(b ? b.total.toString() : 0),
        referrals: b?.referrals ?? 0,
        branchSize: b?.size ?? 0,
      };
    }),
    nextCursor: rows.length > take && last ? encodePageCursor(last.joined_at, last.id) : null,
  };
}
