import { expect } from "vitest";
import { dayOfInstant } from "~/profiles/days";
import type { ProfileOrder } from "~/profiles/orders";
import { generateHistory } from "../../scripts/demo/history";
import type { Order } from "../../scripts/demo/model";
import { orderNetMinor } from "../../scripts/demo/transactions-csv";
import { historyDeliveries } from "../../scripts/demo-runner/seed-history";
import { webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";

// A small generated shop (scripts/demo): its history sent through the real signed-webhook endpoint, and the same
// history turned directly into profile facts, so tests can compare what the database holds after a recompute
// with what the pure functions compute from the generator's ground truth.

export const HISTORY_END = new Date("2026-03-01T00:00:00Z");
export const AS_OF = dayOfInstant(HISTORY_END, null) - 1;

export async function seedGeneratedShop(app: AppUnderTest, shop: string, customers: number): Promise<void> {
  for (const delivery of historyDeliveries(shop, customers, HISTORY_END)) {
    const response = await app.handle(
      webhookRequest({
        shop,
        topic: delivery.topic,
        body: delivery.body,
        webhookId: delivery.webhookId,
        eventId: delivery.eventId,
      }),
    );
    expect(response.status, `${delivery.topic} ${await response.clone().text()}`).toBe(200);
  }
}

const day = (date: Date) => dayOfInstant(date, null);

/** What ingest should make of a generated order, as profile facts (merchandise basis, UTC days). */
export function profileOrder(order: Order): ProfileOrder {
  const refundedMinor = order.refund?.lines.reduce((sum, line) => sum + line.subtotalMinor, 0) ?? 0;
  return {
    day: day(order.processedAt),
    netMinor: orderNetMinor(order, "merchandise"),
    refundedMinor,
    refundDay: order.refund ? day(order.refund.createdAt) : null,
    discountMinor: order.discountMinor,
    cancelledDay: order.cancellation ? day(order.cancellation.at) : null,
    // Order webhooks carry no product type on line items (Shopify's payload has none), so ingest stores none.
    lines: [],
  };
}

/** Every registered customer's orders (test orders left out), from the generator. */
export function expectedFacts(customers: number): Map<string, ProfileOrder[]> {
  const history = generateHistory({ customers, end: HISTORY_END });
  const facts = new Map<string, ProfileOrder[]>(history.customers.map((customer) => [customer.id, []]));
  for (const order of history.orders) {
    if (!order.customer || order.test) continue;
    facts.get(order.customer.id)?.push(profileOrder(order));
  }
  return facts;
}
