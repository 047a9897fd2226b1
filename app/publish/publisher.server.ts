import { createHash } from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";
import { customerMetafieldValues, guestOfferFor } from "~/offers/personalise";
import type { CustomerDecision } from "~/offers/personalise";
import { activeOffers } from "~/offers/store.server";
import { compareIds } from "~/ingest/shopify-ids";
import { loadCustomerFacts } from "./audience.server";
import type { PublishShop } from "./audience.server";
import {
  METAFIELD_NAMESPACE,
  METAFIELDS_SET_LIMIT,
  encodeCustomerMetafields,
  encodeGuestOffer,
} from "~/storefront-contract/metafields";
import type { CustomerMetafieldValues, EncodedMetafield, GuestOffer } from "~/storefront-contract/metafields";
import type {
  CallResult,
  MetafieldIdentifierInput,
  MetafieldsSetClient,
  MetafieldsSetInput,
} from "./metafields-client";

// Writes what the storefront reads (docs/storefront.md "Writing them"). For each customer: the values the contract
// gives now, compared key by key with what was last published (PublishedMetafields); only differences are
// written, whole customers per call (at most 25 metafields, so a customer is never half-written by one call),
// sets before deletes (an opt-out's `opted_out = true` lands before the rest is removed). What was written is
// stored after each call succeeds, so a restart resumes where it stopped and writes nothing twice. Customers
// queued by the storefront (opt-out, opt back in) go first. Pacing by Shopify's cost bucket and retries of throttled
// calls are the Admin client's (app/shopify-admin/client.ts), the one place that talks to the Admin API.

export interface PublishOptions {
  now?: Date;
  /** Only the customers queued by the storefront (the opt-out fast path). */
  queuedOnly?: boolean;
}

export interface PublishSummary {
  customersWritten: number;
  customersUnchanged: number;
  metafieldsSet: number;
  metafieldsDeleted: number;
  calls: number;
  guestOffer: "written" | "deleted" | "unchanged";
}

export class PublishError extends Error {
  override name = "PublishError";
}

interface Change {
  owner: string;
  customerId: string | null;
  values: unknown;
  set: MetafieldsSetInput[];
  remove: MetafieldIdentifierInput[];
  decision: CustomerDecision | null;
}

export async function publishShop(
  prisma: PrismaClient,
  shop: PublishShop,
  client: MetafieldsSetClient,
  options: PublishOptions = {},
): Promise<PublishSummary> {
  const now = options.now ?? new Date();
  const offers = await activeOffers(prisma, shop.id);
  const queued = (
    await prisma.publishQueueItem.findMany({ where: { shopId: shop.id }, orderBy: { enqueuedAt: "asc" } })
  ).map((row) => row.customerShopifyId);
  const facts = await loadCustomerFacts(prisma, shop, options.queuedOnly ? queued : undefined);
  const queuedSet = new Set(queued);
  facts.sort(
    (a, b) =>
      Number(queuedSet.has(b.shopper.customerId)) - Number(queuedSet.has(a.shopper.customerId)) ||
      compareIds(a.shopper.customerId, b.shopper.customerId),
  );
  // Digests only: a shop's published values can be large, and only changed customers' are read (below).
  const published = new Map(
    (
      await prisma.publishedMetafields.findMany({ where: { shopId: shop.id }, select: { owner: true, digest: true } })
    ).map((row) => [row.owner, row.digest]),
  );

  const summary: PublishSummary = {
    customersWritten: 0,
    customersUnchanged: 0,
    metafieldsSet: 0,
    metafieldsDeleted: 0,
    calls: 0,
    guestOffer: "unchanged",
  };
  const unchanged: string[] = [];
  const changed: Array<Omit<Change, "set" | "remove"> & { customerId: string; values: CustomerMetafieldValues }> = [];
  for (const customer of facts) {
    const { values, decision } = customerMetafieldValues(customer, offers, now);
    const owner = `customer:${customer.shopper.customerId}`;
    if (published.get(owner) === digest(values)) unchanged.push(customer.shopper.customerId);
    else changed.push({ owner, customerId: customer.shopper.customerId, values, decision });
  }
  summary.customersUnchanged = unchanged.length;
  // Unchanged queued customers need no write; their queue entry is done.
  const doneQueued = unchanged.filter((id) => queuedSet.has(id));
  if (doneQueued.length)
    await prisma.publishQueueItem.deleteMany({ where: { shopId: shop.id, customerShopifyId: { in: doneQueued } } });
  const previous = await publishedValues(
    prisma,
    shop.id,
    changed.filter((change) => published.has(change.owner)).map((change) => change.owner),
  );
  const changes: Change[] = changed.map((change) => {
    const before = previous.has(change.owner)
      ? encodeCustomerMetafields(previous.get(change.owner) as CustomerMetafieldValues).set
      : [];
    return {
      ...change,
      ...difference(`gid://shopify/Customer/${change.customerId}`, before, encodeCustomerMetafields(change.values).set),
    };
  });

  for (const batch of packCustomers(changes)) {
    await writeBatch(client, batch, summary);
    await recordPublished(prisma, shop.id, batch, now);
    summary.customersWritten += batch.length;
  }
  if (!options.queuedOnly) {
    const shopDigest = published.get("shop");
    const shopPrevious = shopDigest
      ? { digest: shopDigest, values: (await publishedValues(prisma, shop.id, ["shop"])).get("shop") }
      : undefined;
    const guest = await guestChange(() => client.shopGid(), guestOfferFor(shop.domain, offers, now), shopPrevious);
    if (guest) {
      await writeBatch(client, [guest], summary);
      await recordPublished(prisma, shop.id, [guest], now);
      summary.guestOffer = guest.set.length ? "written" : "deleted";
    }
  }
  return summary;
}

/** Last published values of these owners, read in chunks (a parameter list has limits). */
async function publishedValues(
  prisma: PrismaClient,
  shopId: string,
  owners: readonly string[],
): Promise<Map<string, unknown>> {
  const values = new Map<string, unknown>();
  for (let start = 0; start < owners.length; start += 1000) {
    const rows = await prisma.publishedMetafields.findMany({
      where: { shopId, owner: { in: owners.slice(start, start + 1000) } },
      select: { owner: true, values: true },
    });
    for (const row of rows) values.set(row.owner, row.values);
  }
  return values;
}

// The shop's published values are `{ guest_offer }`, absent when there is no guest offer.
async function guestChange(
  shopGid: () => Promise<string>,
  offer: GuestOffer | null,
  previous: { digest: string; values: unknown } | undefined,
): Promise<Change | null> {
  const values = offer ? { guest_offer: offer } : {};
  if ((previous?.digest ?? digest({})) === digest(values)) return null;
  const ownerId = await shopGid();
  const old = (previous?.values as { guest_offer?: GuestOffer } | undefined)?.guest_offer;
  return {
    owner: "shop",
    customerId: null,
    values,
    decision: null,
    ...difference(ownerId, old ? [encodeGuestOffer(old)] : [], offer ? [encodeGuestOffer(offer)] : []),
  };
}

function difference(
  ownerId: string,
  before: EncodedMetafield[],
  after: EncodedMetafield[],
): Pick<Change, "set" | "remove"> {
  const old = new Map(before.map((field) => [field.key, field.value]));
  const keep = new Set(after.map((field) => field.key));
  return {
    set: after
      .filter((field) => old.get(field.key) !== field.value)
      .map((field) => ({ ownerId, namespace: METAFIELD_NAMESPACE, ...field })),
    remove: before
      .filter((field) => !keep.has(field.key))
      .map((field) => ({ ownerId, namespace: METAFIELD_NAMESPACE, key: field.key })),
  };
}

/** Whole customers per batch: at most 25 metafields set and 25 deleted. A customer has at most 9 of each. */
export function packCustomers<T extends { set: unknown[]; remove: unknown[] }>(
  changes: readonly T[],
  limit = METAFIELDS_SET_LIMIT,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let sets = 0;
  let removes = 0;
  for (const change of changes) {
    if (current.length && (sets + change.set.length > limit || removes + change.remove.length > limit)) {
      batches.push(current);
      current = [];
      sets = 0;
      removes = 0;
    }
    current.push(change);
    sets += change.set.length;
    removes += change.remove.length;
  }
  if (current.length) batches.push(current);
  return batches;
}

async function writeBatch(client: MetafieldsSetClient, batch: Change[], summary: PublishSummary): Promise<void> {
  const set = batch.flatMap((change) => change.set);
  const remove = batch.flatMap((change) => change.remove);
  const calls: Array<() => Promise<CallResult>> = [];
  if (set.length) calls.push(() => client.metafieldsSet(set));
  if (remove.length) calls.push(() => client.metafieldsDelete(remove));
  for (const call of calls) {
    const result = await call();
    summary.calls += 1;
    if (result.userErrors.length)
      throw new PublishError(
        `Shopify refused the write: ${result.userErrors
          .map((error) => `${(error.field ?? []).join(".")} ${error.message}`)
          .join("; ")}`,
      );
  }
  summary.metafieldsSet += set.length;
  summary.metafieldsDeleted += remove.length;
}

async function recordPublished(prisma: PrismaClient, shopId: string, batch: Change[], now: Date): Promise<void> {
  const statements: Prisma.PrismaPromise<unknown>[] = [];
  for (const change of batch) {
    const row = { values: change.values as Prisma.InputJsonValue, digest: digest(change.values), publishedAt: now };
    statements.push(
      prisma.publishedMetafields.upsert({
        where: { shopId_owner: { shopId, owner: change.owner } },
        create: { shopId, owner: change.owner, ...row },
        update: row,
      }),
    );
    if (!change.customerId) continue;
    statements.push(
      prisma.publishQueueItem.deleteMany({
        where: { shopId, customerShopifyId: change.customerId, enqueuedAt: { lte: now } },
      }),
    );
    if (change.decision) {
      const key = { shopId, offerId: change.decision.offer.id, customerShopifyId: change.customerId };
      statements.push(
        prisma.offerAssignment.upsert({
          where: { shopId_offerId_customerShopifyId: key },
          create: { ...key, arm: change.decision.arm, assignedAt: now },
          update: { arm: change.decision.arm },
        }),
      );
    }
  }
  await prisma.$transaction(statements);
}

/** Stable digest of published values: keys sorted, so equal values always hash the same. */
export function digest(values: unknown): string {
  return createHash("sha256").update(stableJson(values)).digest("hex");
}

function stableJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(",")}}`;
}
