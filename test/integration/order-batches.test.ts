import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { OrderDeliveryBatcher, DeliveryStatementError } from "~/ingest/facts/order-batches";
import { orderFields, refundRows } from "~/ingest/facts/orders";
import type { SqlExecutor } from "~/database/sql-conventions";
import { parseJsonLossless } from "~/ingest/lossless-json";
import type { NormalizedOrder } from "~/ingest/normalized";
import { normalizeOrder, parseOrderPayload } from "~/ingest/order-payload";
import type { DeliveryClaimInput } from "~/ingest/topics/types";
import { appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { orderBody } from "../support/webhook-payloads";

// Group commit (app/ingest/facts/order-batches.ts): deliveries that wait for the database together go in one
// statement, and each still gets exactly the answer it would have had alone: applied, duplicate delivery, duplicate
// event, stale, unknown shop, or PostgreSQL's refusal of that one delivery, which takes nothing else down with it.

const SHOP = "order-batches.myshopify.com";
let app: AppUnderTest;
let shopId: string;

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
});

function order(id: string, customer: string, updatedAt: string): NormalizedOrder {
  return normalizeOrder(parseOrderPayload(parseJsonLossless(orderBody({ id, customerId: customer, updatedAt }))));
}

/** An order with a value past validation that PostgreSQL refuses (a quantity beyond its integer column). */
function refusedOrder(id: string, customer: string): NormalizedOrder {
  const normalized = order(id, customer, "2026-03-01T10:00:00Z");
  return { ...normalized, lines: normalized.lines.map((line) => ({ ...line, quantity: 3_000_000_000 })) };
}

const claim = (webhookId: string, eventId: string, shopDomain = SHOP): DeliveryClaimInput => ({
  shopDomain,
  webhookId,
  eventId,
  topic: "orders/updated",
  triggeredAt: null,
});

/** The app's executor, counting the statements sent through it. */
function countingExecutor(): { sql: SqlExecutor; statements: () => number } {
  const inner = database().sql;
  let statements = 0;
  return {
    sql: {
      query: (text, params) => {
        statements += 1;
        return inner.query(text, params);
      },
      exec: (script) => inner.exec(script),
    },
    statements: () => statements,
  };
}

describe("a batch of order deliveries", () => {
  test("is one statement, and every delivery gets its own answer", async () => {
    const { sql, statements } = countingExecutor();
    // One batch at a time: the first delivery goes alone at once, the rest wait for it and go together.
    const batcher = new OrderDeliveryBatcher(
      sql,
      (item) => ({ order: orderFields(item), lines: item.lines, refunds: refundRows(item) }),
      { batchSize: 50, concurrent: 1 },
    );
    const submitted = [
      batcher.ingest(claim("w-first", "e-first"), order("9500000009", "7500000009", "2026-03-01T10:00:00Z")),
      batcher.ingest(claim("w-new", "e-new"), order("9500000001", "7500000001", "2026-03-01T10:00:00Z")),
      batcher.ingest(claim("w-new", "e-new-again"), order("9500000001", "7500000001", "2026-03-01T10:00:00Z")),
      batcher.ingest(claim("w-same-event", "e-new"), order("9500000001", "7500000001", "2026-03-01T10:00:00Z")),
      batcher.ingest(claim("w-older", "e-older"), order("9500000001", "7500000001", "2026-02-01T10:00:00Z")),
      batcher.ingest(
        claim("w-elsewhere", "e-elsewhere", "not-installed.myshopify.com"),
        order("9500000002", "7500000001", "2026-03-01T10:00:00Z"),
      ),
      batcher.ingest(claim("w-refused", "e-refused"), refusedOrder("9500000003", "7500000003")),
      batcher.ingest(claim("w-other", "e-other"), order("9500000004", "7500000004", "2026-03-01T10:00:00Z")),
    ];
    const settled = await Promise.allSettled(submitted);
    expect(statements()).toBe(2);

    const value = (index: number) => {
      const result = settled[index]!;
      if (result.status !== "fulfilled") throw result.reason;
      return result.value;
    };
    expect(value(0)).toMatchObject({
      shopFound: true,
      deliveryId: expect.any(String),
      sameEvent: false,
      outcome: { outcome: "applied", customers: ["7500000009"] },
    });
    expect(value(1)).toMatchObject({
      shopFound: true,
      deliveryId: expect.any(String),
      sameEvent: false,
      outcome: { outcome: "applied", customers: ["7500000001"] },
    });
    expect(value(2)).toMatchObject({ shopFound: true, deliveryId: null });
    expect(value(3)).toMatchObject({ shopFound: true, deliveryId: expect.any(String), sameEvent: true });
    expect(value(4)).toMatchObject({ outcome: { outcome: "stale", detail: "a newer state is stored" } });
    expect(value(5)).toMatchObject({ shopFound: false, deliveryId: null });
    const refused = settled[6]!;
    expect(refused.status).toBe("rejected");
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(DeliveryStatementError);
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: "22003" });
    expect(value(7)).toMatchObject({ outcome: { outcome: "applied", customers: ["7500000004"] } });

    // The refused delivery left nothing, not even its ledger row; everything else committed.
    const orders = await app.prisma.order.findMany({
      where: { shopId },
      select: { shopifyId: true },
      orderBy: { shopifyId: "asc" },
    });
    expect(orders.map((row) => row.shopifyId)).toEqual(["9500000001", "9500000004", "9500000009"]);
    const ledger = await app.prisma.webhookDelivery.findMany({
      where: { shopId },
      select: { webhookId: true, outcome: true },
      orderBy: { webhookId: "asc" },
    });
    expect(ledger).toEqual([
      { webhookId: "w-first", outcome: "applied" },
      { webhookId: "w-new", outcome: "applied" },
      { webhookId: "w-older", outcome: "stale" },
      { webhookId: "w-other", outcome: "applied" },
      { webhookId: "w-same-event", outcome: "duplicate" },
    ]);
    // Every changed customer is marked for the profile refresh, the refused one's not.
    const dirty = await app.prisma.customer.findMany({
      where: { shopId, metricsDirtyAt: { not: null } },
      select: { shopifyId: true },
      orderBy: { shopifyId: "asc" },
    });
    expect(dirty.map((row) => row.shopifyId)).toEqual(["7500000001", "7500000004", "7500000009"]);
  });

  test("a failed statement fails each of its deliveries, and the next batch runs", async () => {
    let calls = 0;
    const failingOnce: SqlExecutor = {
      query: (text, params) =>
        ++calls === 1 ? Promise.reject(new Error("connection lost")) : database().sql.query(text, params),
      exec: (script) => database().sql.exec(script),
    };
    const batcher = new OrderDeliveryBatcher(
      failingOnce,
      (item) => ({ order: orderFields(item), lines: item.lines, refunds: refundRows(item) }),
      { batchSize: 50, concurrent: 1 },
    );
    const lost = batcher.ingest(claim("w-lost", "e-lost"), order("9500000010", "7500000010", "2026-03-01T10:00:00Z"));
    const next = batcher.ingest(claim("w-next", "e-next"), order("9500000011", "7500000011", "2026-03-01T10:00:00Z"));
    await expect(lost).rejects.toThrow("connection lost");
    await expect(next).resolves.toMatchObject({ outcome: { outcome: "applied" } });
    expect(await app.prisma.order.count({ where: { shopId, shopifyId: "9500000010" } })).toBe(0);
  });
});
