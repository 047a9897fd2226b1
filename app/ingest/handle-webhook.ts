import type { Prisma, PrismaClient } from "@prisma/client";
import { isUniqueViolation } from "~/database/errors";
import type { Logger } from "~/logging/logger";
import { exportCustomerData, redactCustomer, redactShop } from "./compliance";
import { applyCustomer, markCustomerDeleted } from "./customers";
import { uninstallShop, updateScopes } from "./lifecycle";
import { MalformedJsonError, parseJsonLossless } from "./lossless-json";
import { PayloadError, type NetRevenueBasis } from "./order-payload";
import { applyOrder, applyRefund, deleteOrder } from "./orders";
import type { ShopContext, TopicOutcome } from "./topic-outcome";

// Turns one verified webhook delivery into facts, exactly once: the delivery's ledger row and its effect are
// one transaction, so a crash leaves nothing half-written and Shopify's retry completes it.

export interface VerifiedDelivery {
  shopDomain: string;
  topic: string;
  webhookId: string;
  eventId?: string | undefined;
  triggeredAt?: string | undefined;
  rawBody: string;
}

export interface WebhookResult {
  status: 200 | 400;
  outcome: TopicOutcome["outcome"] | "duplicate" | "dropped" | "unknown-topic" | "rejected";
  detail?: string;
  customerShopifyId?: string | null;
}

type TopicHandler = (tx: Prisma.TransactionClient, shop: ShopContext, payload: unknown) => Promise<TopicOutcome>;

const recordOnly: TopicHandler = async () => ({ outcome: "ignored", detail: "recorded" });

export const TOPIC_HANDLERS: Record<string, TopicHandler> = {
  "orders/create": applyOrder,
  "orders/updated": applyOrder,
  "orders/paid": applyOrder,
  "orders/cancelled": applyOrder,
  "orders/delete": deleteOrder,
  "refunds/create": applyRefund,
  "customers/create": applyCustomer,
  "customers/update": applyCustomer,
  "customers/delete": markCustomerDeleted,
  "app/uninstalled": (tx, shop) => uninstallShop(tx, shop),
  "app/scopes_update": updateScopes,
  "bulk_operations/finish": recordOnly,
  "customers/data_request": exportCustomerData,
  "customers/redact": redactCustomer,
  "shop/redact": (tx, shop) => redactShop(tx, shop),
};

// Shopify's library reports topics as "ORDERS_CREATE"; the header and the toml say "orders/create".
export function topicKey(topic: string): string {
  return topic.toUpperCase().replace(/[/.]/g, "_");
}

const HANDLERS_BY_KEY = new Map(Object.entries(TOPIC_HANDLERS).map(([topic, handler]) => [topicKey(topic), handler]));

// Topics that must be honoured even after the shop uninstalled the app.
const AFTER_UNINSTALL = new Set(["APP_UNINSTALLED", "CUSTOMERS_DATA_REQUEST", "CUSTOMERS_REDACT", "SHOP_REDACT"]);

export async function handleWebhook(prisma: PrismaClient, delivery: VerifiedDelivery, log: Logger): Promise<WebhookResult> {
  const context = { shop: delivery.shopDomain, topic: delivery.topic, webhookId: delivery.webhookId };
  const topic = topicKey(delivery.topic);
  const handler = HANDLERS_BY_KEY.get(topic);
  if (!handler) {
    log.warn("webhook topic not handled", context);
    return { status: 200, outcome: "unknown-topic" };
  }

  let payload: unknown;
  try {
    payload = parseJsonLossless(delivery.rawBody);
  } catch (error) {
    if (!(error instanceof MalformedJsonError)) throw error;
    log.warn("webhook rejected", { ...context, reason: error.message });
    return { status: 400, outcome: "rejected", detail: error.message };
  }

  const shopRow = await prisma.shop.findUnique({ where: { domain: delivery.shopDomain } });
  if (!shopRow || (shopRow.uninstalledAt && !AFTER_UNINSTALL.has(topic))) {
    log.info("webhook dropped: shop not installed", context);
    return { status: 200, outcome: "dropped" };
  }
  const shop: ShopContext = {
    id: shopRow.id,
    domain: shopRow.domain,
    currencyCode: shopRow.currencyCode,
    netRevenueBasis: shopRow.netRevenueBasis as NetRevenueBasis,
  };

  // A unique-key conflict means either this delivery was already claimed (a duplicate), or another delivery for
  // the same order created it concurrently: then the whole transaction runs again and sees that row.
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await applyDelivery(prisma, shop, delivery, handler, payload);
      log.info("webhook processed", { ...context, outcome: result.outcome });
      return { status: 200, ...result };
    } catch (error) {
      if (isUniqueViolation(error)) {
        const claimed = await prisma.webhookDelivery.findUnique({
          where: { shopId_webhookId: { shopId: shop.id, webhookId: delivery.webhookId } },
          select: { id: true },
        });
        if (claimed) {
          log.info("webhook duplicate delivery", context);
          return { status: 200, outcome: "duplicate" };
        }
        if (attempt < 3) continue;
      }
      if (error instanceof PayloadError) {
        log.warn("webhook rejected", { ...context, reason: error.message });
        return { status: 400, outcome: "rejected", detail: error.message };
      }
      throw error;
    }
  }
}

async function applyDelivery(
  prisma: PrismaClient,
  shop: ShopContext,
  delivery: VerifiedDelivery,
  handler: TopicHandler,
  payload: unknown,
): Promise<TopicOutcome | { outcome: "duplicate" }> {
  return prisma.$transaction(async (tx) => {
    // One look-up finds both kinds of repeat: this very delivery again (Shopify's retry), or another delivery of
    // the same event (the same merchant action delivered twice).
    const earlier = await tx.webhookDelivery.findFirst({
      where: {
        shopId: shop.id,
        OR: [{ webhookId: delivery.webhookId }, ...(delivery.eventId ? [{ eventId: delivery.eventId, topic: delivery.topic }] : [])],
      },
      select: { webhookId: true },
    });
    if (earlier) {
      if (earlier.webhookId !== delivery.webhookId) await recordDelivery(tx, shop, delivery, { outcome: "duplicate" });
      return { outcome: "duplicate" as const };
    }
    const outcome = await handler(tx, shop, payload);
    // The ledger row is written last, in the same transaction: a concurrent copy of this delivery fails on its
    // unique key at commit and is answered as a duplicate, and a crash before commit leaves no trace at all.
    // shop/redact has just deleted the shop and its ledger; a repeat finds no shop and is dropped.
    if (topicKey(delivery.topic) !== "SHOP_REDACT") await recordDelivery(tx, shop, delivery, outcome);
    return outcome;
  });
}

async function recordDelivery(
  tx: Prisma.TransactionClient,
  shop: ShopContext,
  delivery: VerifiedDelivery,
  outcome: { outcome: string; detail?: string | undefined },
): Promise<void> {
  await tx.webhookDelivery.create({
    data: {
      shopId: shop.id,
      webhookId: delivery.webhookId,
      eventId: delivery.eventId ?? null,
      topic: delivery.topic,
      triggeredAt: delivery.triggeredAt ? new Date(delivery.triggeredAt) : null,
      outcome: outcome.outcome,
      detail: outcome.detail ?? null,
      processedAt: new Date(),
    },
    select: { id: true },
  });
}
