import type { PrismaClient } from "@prisma/client";
import type { Offer } from "~/offers/model";
import { getOfferVersion, setCadenceCode } from "~/offers/store.server";
import type { AdminClient } from "~/shopify-admin/client";
import { assertNoUserErrors } from "~/shopify-admin/errors";
import {
  CODE_DISCOUNT_BY_CODE,
  CODE_DISCOUNT_BY_ID,
  DISCOUNT_CODE_ACTIVATE,
  DISCOUNT_CODE_BASIC_CREATE,
  DISCOUNT_CODE_BASIC_UPDATE,
  DISCOUNT_CODE_DEACTIVATE,
  DISCOUNT_CODE_DELETE,
} from "~/shopify-admin/operations/code-discounts";
import type { CodeDiscountNode } from "~/shopify-admin/operations/code-discounts";
import {
  appNamespace,
  deleteObject,
  deleteSegment as deleteNativeSegment,
  ensureSegment as ensureNativeSegment,
} from "../shopify-segments.server";
import type { SegmentTarget } from "../shopify-segments.server";
import { discountCodeBasicInput } from "./discount-input";
import {
  discountRecord,
  finishSync,
  forgetDiscount,
  recordShopifyIds,
  recordSyncError,
} from "~/offers/discount-records.server";
import type { OfferDiscountRecord } from "~/offers/discount-records.server";
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
export async function syncOfferDiscount(
  prisma: PrismaClient,
  shop: DiscountShop,
  connect: () => Promise<AdminClient>,
  offerId: string,
): Promise<DiscountSyncOutcome> {
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
    await recordSyncError(prisma, shop.id, offerId, {
      message: syncErrorMessage(error),
      temporary: isTemporary(error),
    });
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
    if (error instanceof AudienceNotPublishedError)
      throw new DiscountSetupError(`Shopify cannot restrict a code to this audience: ${error.message}.`);
    throw error;
  }
  const segmentGid = query ? await ensureSegment(context, query) : null;
  await ensureDiscount(context, offer, segmentGid);
  // The audience became "everyone": the discount no longer names the old segment, which can go.
  if (!query && context.record.segmentGid) await deleteSegment(context);
}

/** Stores GIDs the moment they are known, on the row and in the record the rest of this sync reads. */
async function remember(
  context: Context,
  ids: { segmentGid?: string | null; discountGid?: string | null },
): Promise<void> {
  Object.assign(context.record, ids);
  await recordShopifyIds(context.prisma, context.shop.id, context.record.offerId, ids);
}

/** The offer's segment as the shared segment operations see it (../shopify-segments.server.ts). */
function segmentTarget(context: Context): SegmentTarget {
  return {
    gid: context.record.segmentGid,
    name: segmentName(context.record.offerId),
    remember: (segmentGid) => remember(context, { segmentGid }),
  };
}

/** By its recorded GID, else by the code chosen before it was created. */
async function findDiscount({ client, record }: Context): Promise<CodeDiscountNode | null> {
  const byId = record.discountGid
    ? (await client.request(CODE_DISCOUNT_BY_ID, { id: record.discountGid })).codeDiscountNode
    : null;
  return byId ?? (await client.request(CODE_DISCOUNT_BY_CODE, { code: record.code })).codeDiscountNodeByCode;
}

function ensureSegment(context: Context, query: string): Promise<string> {
  return ensureNativeSegment(context.client, segmentTarget(context), query);
}

async function ensureDiscount(context: Context, offer: Offer, segmentGid: string | null): Promise<void> {
  const { client, shop, record } = context;
  const discount = {
    ...discountCodeBasicInput(offer, {
      code: record.code,
      segmentGid,
      currency: shop.currencyCode,
      plannedAt: record.createdAt,
    }),
  };
  const found = await findDiscount(context);
  if (found && found.codeDiscount.__typename !== "DiscountCodeBasic")
    throw new DiscountSetupError(
      `The code ${record.code} belongs to another kind of discount in Shopify; delete it there, or change the offer's discount.`,
    );
  let node: CodeDiscountNode | null;
  if (found) {
    if (found.id !== record.discountGid) await remember(context, { discountGid: found.id });
    const updated = (await client.request(DISCOUNT_CODE_BASIC_UPDATE, { id: found.id, discount }))
      .discountCodeBasicUpdate;
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
  const found = (await context.client.request(CODE_DISCOUNT_BY_ID, { id: context.record.discountGid }))
    .codeDiscountNode;
  if (!found) {
    await remember(context, { discountGid: null });
    return;
  }
  if (found.codeDiscount.status === "EXPIRED") return;
  const deactivated = (await context.client.request(DISCOUNT_CODE_DEACTIVATE, { id: found.id })).discountCodeDeactivate;
  assertNoUserErrors(deactivated, DISCOUNT_CODE_DEACTIVATE.name);
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

function deleteSegment(context: Context): Promise<void> {
  return deleteNativeSegment(context.client, segmentTarget(context));
}
