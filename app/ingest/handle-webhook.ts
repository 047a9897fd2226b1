import type { Database } from "~/db.server";
import type { Logger } from "~/logging/logger";
import { MalformedJsonError, parseJsonLossless } from "./lossless-json";
import { PayloadError } from "./normalized";
import { handlerFor } from "./topics/registry";
import type { DeliveryClaimInput, TopicHandler, TopicOutcome } from "./topics/types";
import { claimDelivery, recordOutcome } from "./webhook-ledger";

// Turns one verified webhook delivery into facts, exactly once: the delivery's ledger row and its effect are one
// transaction, so a crash leaves nothing half-written and Shopify's retry completes it. Cheap enough to run inline
// (a claim and one or two set-based statements); anything heavier is handed to the job queue after the commit.

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
  customers?: string[];
}

// Conflicts a retry of the whole transaction resolves: serialization failure, deadlock, a unique key taken by a
// concurrent first insert. Bounded: a conflict that persists is a bug, surfaced as a 500 that Shopify retries.
const RETRYABLE = new Set(["40001", "40P01", "23505"]);
const MAX_ATTEMPTS = 3;

function sqlState(error: unknown): string | undefined {
  const value = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = value?.code ?? value?.cause?.code;
  return typeof code === "string" ? code : undefined;
}

/** SQLSTATE class 22 (data exception): a value PostgreSQL refused, i.e. bad input that got past validation. */
function isDataException(error: unknown): boolean {
  return sqlState(error)?.startsWith("22") ?? false;
}

type Applied =
  | { kind: "applied"; outcome: TopicOutcome }
  | { kind: "duplicate"; detail: string }
  | { kind: "dropped"; detail: string };

export async function handleWebhook(
  database: Database,
  delivery: VerifiedDelivery,
  log: Logger,
): Promise<WebhookResult> {
  const context = { shop: delivery.shopDomain, topic: delivery.topic, webhookId: delivery.webhookId };
  const handler = handlerFor(delivery.topic);
  if (!handler) {
    log.warn("webhook topic not handled", context);
    return { status: 200, outcome: "unknown-topic" };
  }

  let parsed: unknown;
  try {
    parsed = handler.parse(parseJsonLossless(delivery.rawBody));
  } catch (error) {
    if (!(error instanceof MalformedJsonError || error instanceof PayloadError)) throw error;
    log.warn("webhook rejected", { ...context, reason: error.message });
    return { status: 400, outcome: "rejected", detail: error.message };
  }
  // A privacy request acts on the shop its payload names: a header that names another shop is refused, never guessed.
  const bodyShop = handler.shopDomainOf?.(parsed) ?? null;
  if (bodyShop !== null && bodyShop.toLowerCase() !== delivery.shopDomain.toLowerCase()) {
    const reason = `the payload names shop ${bodyShop} but X-Shopify-Shop-Domain says ${delivery.shopDomain}`;
    log.warn("webhook rejected", { ...context, reason });
    return { status: 400, outcome: "rejected", detail: reason };
  }

  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await applyDelivery(database, handler, parsed, delivery);
      if (result.kind === "dropped") {
        log.info("webhook dropped", { ...context, reason: result.detail });
        return { status: 200, outcome: "dropped", detail: result.detail };
      }
      if (result.kind === "duplicate") {
        log.info("webhook duplicate", { ...context, reason: result.detail });
        return { status: 200, outcome: "duplicate", detail: result.detail };
      }
      const { outcome } = result;
      await outcome
        .afterCommit?.()
        .catch((error: Error) => log.warn("webhook follow-up failed", { ...context, reason: error.message }));
      if (outcome.warn) log.warn("webhook ignored", { ...context, outcome: outcome.outcome, detail: outcome.detail });
      else log.info("webhook processed", { ...context, outcome: outcome.outcome, detail: outcome.detail });
      return {
        status: 200,
        outcome: outcome.outcome,
        ...(outcome.detail ? { detail: outcome.detail } : {}),
        ...(outcome.customers ? { customers: outcome.customers } : {}),
      };
    } catch (error) {
      const code = sqlState(error);
      if (code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) continue;
      if (error instanceof PayloadError || isDataException(error)) {
        const reason = error instanceof PayloadError ? error.message : `invalid value: ${(error as Error).message}`;
        log.warn("webhook rejected", { ...context, reason });
        return { status: 400, outcome: "rejected", detail: reason };
      }
      throw error;
    }
  }
}

function claimInput(delivery: VerifiedDelivery): DeliveryClaimInput {
  const triggeredAt = delivery.triggeredAt ? new Date(delivery.triggeredAt) : null;
  return {
    shopDomain: delivery.shopDomain,
    webhookId: delivery.webhookId,
    eventId: delivery.eventId,
    topic: delivery.topic,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
  };
}

async function applyDelivery(
  database: Database,
  handler: TopicHandler<unknown>,
  parsed: unknown,
  delivery: VerifiedDelivery,
): Promise<Applied> {
  const input = claimInput(delivery);
  if (handler.ingestInOneStatement) {
    const result = await handler.ingestInOneStatement(database.sql, input, parsed);
    if (!result.shopFound) return { kind: "dropped", detail: "shop not installed" };
    if (result.uninstalled && !handler.afterUninstall) return { kind: "dropped", detail: "shop uninstalled" };
    if (!result.deliveryId) return { kind: "duplicate", detail: "delivery already recorded" };
    if (result.sameEvent) return { kind: "duplicate", detail: "event already recorded" };
    return { kind: "applied", outcome: result.outcome };
  }
  const apply = handler.apply;
  if (!apply) throw new Error(`topic ${delivery.topic} has no way to be applied`);
  return database.transaction(async (tx) => {
    const claim = await claimDelivery(tx, {
      ...input,
      afterUninstall: handler.afterUninstall ?? false,
      lockKey: handler.lockKey?.(parsed) ?? null,
    });
    if (!claim.shop) return { kind: "dropped", detail: "shop not installed" };
    if (claim.uninstalled && !handler.afterUninstall) return { kind: "dropped", detail: "shop uninstalled" };
    if (!claim.deliveryId) return { kind: "duplicate", detail: "delivery already recorded" };
    if (claim.sameEvent) return { kind: "duplicate", detail: "event already recorded" };
    const outcome = await apply(tx, claim.shop, parsed, {
      webhookId: input.webhookId,
      eventId: input.eventId,
      triggeredAt: input.triggeredAt,
    });
    if (outcome.outcome !== "applied" || outcome.detail) {
      await recordOutcome(tx, claim.deliveryId, outcome.outcome, outcome.detail ?? null);
    }
    return { kind: "applied", outcome };
  });
}
