import type { PrismaClient } from "@prisma/client";
import type { Offer } from "~/offers/model";
import { getOfferVersion, setCadenceCode } from "~/offers/store.server";
import type { AdminClient } from "~/shopify-admin/client";
import { assertNoUserErrors, type AdminUserError } from "~/shopify-admin/errors";
import { adminGraphqlFunction } from "~/shopify-admin/graphql-function";
import { APP_CUSTOMER_METAFIELD_DEFINITIONS } from "~/shopify-admin/operations/app-metafields";
import {
  CODE_DISCOUNT_BY_CODE,
  CODE_DISCOUNT_BY_ID,
  DISCOUNT_CODE_ACTIVATE,
  DISCOUNT_CODE_BASIC_CREATE,
  DISCOUNT_CODE_BASIC_UPDATE,
  DISCOUNT_CODE_DEACTIVATE,
  DISCOUNT_CODE_DELETE,
  type CodeDiscountNode,
} from "~/shopify-admin/operations/code-discounts";
import { SEGMENT_BY_ID, SEGMENT_CREATE, SEGMENT_DELETE, SEGMENT_UPDATE, SEGMENTS_BY_NAME, type Segment } from "~/shopify-admin/operations/segments";
import { ensureMetafieldDefinitions } from "../definitions";
import { metafieldsClient } from "../metafields-client";
import { discountCodeBasicInput } from "./discount-input";
import { discountRecord, finishSync, forgetDiscount, recordShopifyIds, recordSyncError, type OfferDiscountRecord } from "./records.server";
import { AudienceNotPublishedError, audienceMetafield, segmentQuery } from "./shopifyql";
import { DiscountSetupError, isTemporary, syncErrorMessage } from "./sync-errors";

// Brings Shopify in line with one offer's Cadence-created code (docs/storefront.md "Cadence-created codes"):
// - active offer: a native customer segment whose ShopifyQL mirrors the audience (none for "everyone"), and a code
//   discount restricted to it, created or updated; then the offer's code is set and it can be shown;
// - paused, archived (or back to draft): the discount is deactivated (Shopify ends it now);
// - deleted, or no longer using a Cadence-created code: the discount and the segment are deleted.
// Each created object's GID is stored the moment Shopify returns it. A re-run finds them again by that GID; if an
// answer was lost after Shopify created something, by the segment's name or the discount's code, which are chosen
// before creating. So nothing is created twice and nothing created goes unrecorded. Failures are stored on the row
// (the offer's page shows them) and rethrown for the job to decide about retrying.

export interface DiscountShop {
  id: string;
  currencyCode: string;
}

export type DiscountSyncOutcome =
  /** Shopify matches the offer; its code is set and the offer can be shown. */
  | "ready"
  /** Shopify matches the version the sync read, but the offer changed since: the newer change is synced next. */
  | "superseded"
  /** The offer is not active: its discount, if any, is deactivated. */
  | "inactive"
  /** The offer is gone or no longer uses a Cadence-created code: what Cadence created in Shopify is deleted. */
  | "removed"
  /** Nothing to do: the offer never had a Cadence-created code. */
  | "idle";

/** The segment's name in Shopify's admin, from the offer's permanent ID, so a lost answer can be found again by it. */
export function segmentName(offerId: string): string {
  return `Cadence offer ${offerId}`;
}

interface Context {
  prisma: PrismaClient;
  client: AdminClient;
  shop: DiscountShop;
  record: OfferDiscountRecord;
}

/** `connect` opens the Admin client, only when Shopify is needed (a draft that never had a code needs nothing). */
export async function syncOfferDiscount(prisma: PrismaClient, shop: DiscountShop, connect: () => Promise<AdminClient>, offerId: string): Promise<DiscountSyncOutcome> {
  const record = await discountRecord(prisma, shop.id, offerId);
  if (!record) return "idle";
  const withShopify = async (): Promise<Context> => ({ prisma, client: await connect(), shop, record });
  try {
    const current = await getOfferVersion(prisma, shop.id, offerId);
    if (!current || current.offer.discount.kind !== "cadence_code") {
      await removeFromShopify(await withShopify());
      await forgetDiscount(prisma, shop.id, offerId, record.pendingSince);
      return "removed";
    }
    if (current.offer.status !== "active") {
      if (record.discountGid) await deactivate(await withShopify());
      await finishSync(prisma, shop.id, offerId, record.pendingSince, { active: false });
      return "inactive";
    }
    await publishDiscount(await withShopify(), current.offer);
    const ready = await setCadenceCode(prisma, shop.id, offerId, record.code, current.version);
    await finishSync(prisma, shop.id, offerId, record.pendingSince, { active: true });
    return ready ? "ready" : "superseded";
  } catch (error) {
    await recordSyncError(prisma, shop.id, offerId, { message: syncErrorMessage(error), temporary: isTemporary(error) });
    throw error;
  }
}

async function publishDiscount(context: Context, offer: Offer): Promise<void> {
  if (offer.discount.kind !== "cadence_code" || !offer.discount.value)
    throw new DiscountSetupError("Choose what the code takes off (a percentage or an amount) and save the offer.");
  let query: string | null;
  try {
    const filter = audienceMetafield(offer.audience);
    query = filter ? segmentQuery(offer.audience, await appNamespace(context.client, filter.key)) : null;
  } catch (error) {
    if (error instanceof AudienceNotPublishedError) throw new DiscountSetupError(`Shopify cannot restrict a code to this audience: ${error.message}.`);
    throw error;
  }
  const segmentGid = query ? await ensureSegment(context, query) : null;
  await ensureDiscount(context, offer, segmentGid);
  // The audience became "everyone": the discount no longer names the old segment, which can go.
  if (!query && context.record.segmentGid) await deleteSegment(context);
}

/**
 * The namespace Shopify resolved `$app` to, read from Cadence's own definition of the metafield the query filters on.
 * A shop installed before that definition existed gets Cadence's definitions now (creating one that exists is a no-op).
 */
async function appNamespace(client: AdminClient, key: string): Promise<string> {
  const find = async () => (await client.request(APP_CUSTOMER_METAFIELD_DEFINITIONS)).metafieldDefinitions.nodes.find((definition) => definition.key === key);
  let definition = await find();
  if (!definition) {
    await ensureMetafieldDefinitions(metafieldsClient(adminGraphqlFunction(client)));
    definition = await find();
  }
  if (!definition) throw new DiscountSetupError(`Cadence's customer metafield "${key}" has no definition in Shopify, so no segment can filter on it.`);
  return definition.namespace;
}

/** Stores GIDs the moment they are known, on the row and in the record the rest of this sync reads. */
async function remember(context: Context, ids: { segmentGid?: string | null; discountGid?: string | null }): Promise<void> {
  Object.assign(context.record, ids);
  await recordShopifyIds(context.prisma, context.shop.id, context.record.offerId, ids);
}

/** By its recorded GID; if not recorded (or deleted in Shopify's admin), one made by a run whose answer was lost, by name. */
async function findSegment({ client, record }: Context): Promise<Segment | null> {
  const name = segmentName(record.offerId);
  const byId = record.segmentGid ? (await client.request(SEGMENT_BY_ID, { id: record.segmentGid })).segment : null;
  return byId ?? (await client.request(SEGMENTS_BY_NAME, { query: `name:${JSON.stringify(name)}` })).segments.nodes.find((segment) => segment.name === name) ?? null;
}

/** By its recorded GID, else by the code chosen before it was created. */
async function findDiscount({ client, record }: Context): Promise<CodeDiscountNode | null> {
  const byId = record.discountGid ? (await client.request(CODE_DISCOUNT_BY_ID, { id: record.discountGid })).codeDiscountNode : null;
  return byId ?? (await client.request(CODE_DISCOUNT_BY_CODE, { code: record.code })).codeDiscountNodeByCode;
}

async function ensureSegment(context: Context, query: string): Promise<string> {
  const name = segmentName(context.record.offerId);
  const existing = await findSegment(context);
  if (existing) {
    if (existing.id !== context.record.segmentGid) await remember(context, { segmentGid: existing.id });
    if (existing.query !== query || existing.name !== name) {
      const updated = (await context.client.request(SEGMENT_UPDATE, { id: existing.id, name, query })).segmentUpdate;
      assertNoUserErrors(updated, SEGMENT_UPDATE.name);
    }
    return existing.id;
  }
  const created = (await context.client.request(SEGMENT_CREATE, { name, query })).segmentCreate;
  assertNoUserErrors(created, SEGMENT_CREATE.name);
  if (!created.segment) throw new DiscountSetupError("Shopify created the customer segment but did not return it.");
  await remember(context, { segmentGid: created.segment.id });
  return created.segment.id;
}

async function ensureDiscount(context: Context, offer: Offer, segmentGid: string | null): Promise<void> {
  const { client, shop, record } = context;
  const discount = { ...discountCodeBasicInput(offer, { code: record.code, segmentGid, currency: shop.currencyCode, plannedAt: record.createdAt }) };
  const found = await findDiscount(context);
  if (found && found.codeDiscount.__typename !== "DiscountCodeBasic")
    throw new DiscountSetupError(`The code ${record.code} belongs to another kind of discount in Shopify; delete it there, or change the offer's discount.`);
  let node: CodeDiscountNode | null;
  if (found) {
    if (found.id !== record.discountGid) await remember(context, { discountGid: found.id });
    const updated = (await client.request(DISCOUNT_CODE_BASIC_UPDATE, { id: found.id, discount })).discountCodeBasicUpdate;
    assertNoUserErrors(updated, DISCOUNT_CODE_BASIC_UPDATE.name);
    node = updated.codeDiscountNode;
  } else {
    const created = (await client.request(DISCOUNT_CODE_BASIC_CREATE, { discount })).discountCodeBasicCreate;
    assertNoUserErrors(created, DISCOUNT_CODE_BASIC_CREATE.name);
    node = created.codeDiscountNode;
    if (!node) throw new DiscountSetupError("Shopify created the discount code but did not return it.");
    await remember(context, { discountGid: node.id });
  }
  // A paused offer's discount was ended by deactivation; its dates alone may not revive it.
  if (node?.codeDiscount.status === "EXPIRED" && (!offer.endsAt || offer.endsAt > new Date())) {
    const activated = (await client.request(DISCOUNT_CODE_ACTIVATE, { id: node.id })).discountCodeActivate;
    assertNoUserErrors(activated, DISCOUNT_CODE_ACTIVATE.name);
  }
}

async function deactivate(context: Context): Promise<void> {
  if (!context.record.discountGid) return;
  const found = (await context.client.request(CODE_DISCOUNT_BY_ID, { id: context.record.discountGid })).codeDiscountNode;
  if (!found) {
    await remember(context, { discountGid: null });
    return;
  }
  if (found.codeDiscount.status === "EXPIRED") return;
  const deactivated = (await context.client.request(DISCOUNT_CODE_DEACTIVATE, { id: found.id })).discountCodeDeactivate;
  assertNoUserErrors(deactivated, DISCOUNT_CODE_DEACTIVATE.name);
}

/**
 * Deletes one object. A delete retried after a lost answer finds nothing left to delete, which Shopify reports as a
 * userError: that is done, not a failure, so an error counts only while the object still exists.
 */
async function deleteObject(operationName: string, remove: () => Promise<{ userErrors: AdminUserError[] } | null | undefined>, stillThere: () => Promise<boolean>): Promise<void> {
  const deleted = await remove();
  if (deleted?.userErrors.length && (await stillThere())) assertNoUserErrors(deleted, operationName);
}

// The discount goes first: it names the segment.
async function removeFromShopify(context: Context): Promise<void> {
  const { client } = context;
  const found = await findDiscount(context);
  if (found)
    await deleteObject(
      DISCOUNT_CODE_DELETE.name,
      async () => (await client.request(DISCOUNT_CODE_DELETE, { id: found.id })).discountCodeDelete,
      async () => (await client.request(CODE_DISCOUNT_BY_ID, { id: found.id })).codeDiscountNode !== null,
    );
  await remember(context, { discountGid: null });
  await deleteSegment(context);
}

async function deleteSegment(context: Context): Promise<void> {
  const { client } = context;
  const found = await findSegment(context);
  if (found)
    await deleteObject(
      SEGMENT_DELETE.name,
      async () => (await client.request(SEGMENT_DELETE, { id: found.id })).segmentDelete,
      async () => (await client.request(SEGMENT_BY_ID, { id: found.id })).segment !== null,
    );
  await remember(context, { segmentGid: null });
}
