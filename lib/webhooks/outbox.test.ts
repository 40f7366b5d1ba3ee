import { describe, expect, it } from "vitest";
import { dec } from "@/lib/money";
import { integrationSetup } from "@/lib/testing/integration";
import { emitEvent, newEventId } from "./outbox";

const { db } = await integrationSetup();

describe("webhook outbox", () => {
  it("stores the event with every digit of its amounts", async () => {
    const id = await emitEvent(db.prisma, "fee.accrued", {
      orderId: "order-1",
      referrerId: "usr_a",
      currency: "KES",
      amount: dec("150.000000000000000001"),
    });
    expect(id).toMatch(/^evt_[0-9a-f]{34}$/);
    const [row] = await db.prisma.$queryRaw<{ type: string; data: string }[]>`
      SELECT type, data::text AS data FROM webhook_event WHERE id = ${id}`;
    expect(row).toEqual({
      type: "fee.accrued",
      data: '{"amount": 150.000000000000000001, "orderId": "order-1", "currency": "KES", "referrerId": "usr_a"}',
    });
  });

  it("keeps no event of a change that rolls back", async () => {
    let id = "";
    await expect(
      db.prisma.$transaction(async (tx) => {
        id = await emitEvent(tx, "account.frozen", { accountId: "usr_b", reason: "review" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db.prisma.webhookEvent.count({ where: { id } })).toBe(0);
  });

  it("makes ids that sort in the order they were made, within a millisecond too", () => {
    const ids = Array.from({ length: 1_000 }, () => newEventId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
