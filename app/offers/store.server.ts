import type { Prisma, PrismaClient } from "@prisma/client";
import { isUniqueViolation } from "~/database/errors";
import type { ZodError } from "zod";
import { markDiscountPending } from "~/offers/discount-records.server";
import { involvesCadenceCode, withCarriedCode } from "./cadence-code";
import { OFFER_STATUSES, offerSchema, storedOfferSchema } from "./model";
import type { Offer, OfferInput, OfferStatus } from "./model";

// Offers as stored, per shop. The admin's pages and the CLI build on these functions: every one takes the Prisma
// client and the shop's row ID (Shop.id) first, and every query filters on that shop. Validation is
// app/offers/model.ts's; failures come back as field errors keyed by the input's path ("content.headline"),
// never thrown, so a form can show each one next to its field. docs/storefront.md "Offers API".
//
// An offer with a Cadence-created code also has a row in OfferDiscount (app/publish/discounts/): every change that
// involves such a code marks that row pending in the same transaction, and the discount job brings Shopify's segment
// and discount in line, then sets the code (setCadenceCode). Until then the offer is not shown (model.ts isReady).

export type FieldErrors = Record<string, string>;
export type OfferResult = { ok: true; offer: Offer } | { ok: false; errors: FieldErrors };

type Db = PrismaClient | Prisma.TransactionClient;

/** Offers of one shop, highest priority first; `status` narrows the list. */
export async function listOffers(prisma: Db, shopId: string, filter: { status?: OfferStatus } = {}): Promise<Offer[]> {
  const rows = await prisma.offer.findMany({
    where: { shopId, ...(filter.status ? { status: filter.status } : {}) },
    orderBy: [{ priority: "desc" }, { id: "asc" }],
  });
  return rows.map(fromRow);
}

/** Active offers: what the publisher and the app proxy choose from (schedules are checked by isLive at use). */
export function activeOffers(prisma: Db, shopId: string): Promise<Offer[]> {
  return listOffers(prisma, shopId, { status: "active" });
}

export async function getOffer(prisma: Db, shopId: string, offerId: string): Promise<Offer | null> {
  return (await getOfferVersion(prisma, shopId, offerId))?.offer ?? null;
}

/** The offer and its version (when it was last written), for work that must not apply to a newer version. */
export async function getOfferVersion(
  prisma: Db,
  shopId: string,
  offerId: string,
): Promise<{ offer: Offer; version: Date } | null> {
  const row = await prisma.offer.findUnique({ where: { shopId_id: { shopId, id: offerId } } });
  return row ? { offer: fromRow(row), version: row.updatedAt } : null;
}

/**
 * Validates and stores a new offer. Without `id`, one is made from the name ("Gold members" → "gold-members",
 * then "gold-members-2"…). The ID is permanent: it is published and decides each shopper's holdout arm.
 */
export async function createOffer(
  prisma: PrismaClient,
  shopId: string,
  input: Omit<OfferInput, "id"> & { id?: string },
): Promise<OfferResult> {
  const id = input.id ?? (await freeId(prisma, shopId, String(input.name ?? "")));
  const parsed = validateOffer({ ...input, id });
  if (!parsed.ok) return parsed;
  const offer = withCarriedCode(null, parsed.offer);
  try {
    const [row] = await prisma.$transaction([
      prisma.offer.create({ data: { shopId, ...toRow(offer) } }),
      ...(involvesCadenceCode(null, offer) ? [markDiscountPending(prisma, shopId, id)] : []),
    ]);
    return { ok: true, offer: fromRow(row) };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { id: `an offer with ID "${id}" already exists` } };
    throw error;
  }
}

/** Applies `changes` to a stored offer (the ID cannot change) and validates the whole result. */
export async function updateOffer(
  prisma: PrismaClient,
  shopId: string,
  offerId: string,
  changes: Partial<Omit<OfferInput, "id">>,
): Promise<OfferResult> {
  const current = await getOffer(prisma, shopId, offerId);
  if (!current) return { ok: false, errors: { id: `no offer "${offerId}" in this shop` } };
  if ("id" in changes) return { ok: false, errors: { id: "an offer's ID cannot change" } };
  const parsed = validateOffer({ ...current, ...changes, id: offerId });
  if (!parsed.ok) return parsed;
  const offer = withCarriedCode(current, parsed.offer);
  const [row] = await prisma.$transaction([
    prisma.offer.update({ where: { shopId_id: { shopId, id: offerId } }, data: toRow(offer) }),
    ...(involvesCadenceCode(current, offer) ? [markDiscountPending(prisma, shopId, offerId)] : []),
  ]);
  return { ok: true, offer: fromRow(row) };
}

/**
 * The discount job's word that Shopify's discount matches the offer as it was at `version` (its updatedAt): the
 * code is set and the offer can be shown. False when the offer changed since (that change is synced next).
 */
export async function setCadenceCode(
  prisma: PrismaClient,
  shopId: string,
  offerId: string,
  code: string,
  version: Date,
): Promise<boolean> {
  const current = await getOffer(prisma, shopId, offerId);
  if (current?.discount.kind !== "cadence_code") return false;
  const discount = { ...current.discount, code } as Prisma.InputJsonValue;
  const { count } = await prisma.offer.updateMany({
    where: { shopId, id: offerId, updatedAt: version },
    data: { discount },
  });
  return count === 1;
}

export function setOfferStatus(
  prisma: PrismaClient,
  shopId: string,
  offerId: string,
  status: OfferStatus,
): Promise<OfferResult> {
  if (!OFFER_STATUSES.includes(status))
    return Promise.resolve({ ok: false, errors: { status: `must be one of ${OFFER_STATUSES.join(", ")}` } });
  return updateOffer(prisma, shopId, offerId, { status });
}

/**
 * Deletes a draft. An offer that has been active keeps its row (archive it instead): exposures and assignments
 * refer to it, and its report stays readable.
 */
export async function deleteDraftOffer(
  prisma: PrismaClient,
  shopId: string,
  offerId: string,
): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
  const count = await prisma.$transaction(async (tx) => {
    const deleted = await tx.offer.deleteMany({ where: { shopId, id: offerId, status: "draft" } });
    // Whatever Cadence created in Shopify for it is removed by the discount job (the row outlives the offer).
    if (deleted.count === 1)
      await tx.offerDiscount.updateMany({ where: { shopId, offerId }, data: { pendingSince: new Date() } });
    return deleted.count;
  });
  if (count === 1) return { ok: true };
  const exists = await getOffer(prisma, shopId, offerId);
  return {
    ok: false,
    errors: {
      id: exists ? "Only a draft can be deleted; archive this offer instead." : `no offer "${offerId}" in this shop`,
    },
  };
}

/** Pure validation with field errors, for forms that check before saving. */
export function validateOffer(input: unknown): OfferResult {
  const parsed = offerSchema.safeParse(input);
  return parsed.success ? { ok: true, offer: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}

export function fieldErrors(error: ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "offer";
    errors[key] ??= issue.message;
  }
  return errors;
}

async function freeId(prisma: Db, shopId: string, name: string): Promise<string> {
  const base =
    name
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 56) || "offer";
  const taken = new Set(
    (await prisma.offer.findMany({ where: { shopId, id: { startsWith: base } }, select: { id: true } })).map(
      (row) => row.id,
    ),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

type OfferRow = Prisma.OfferGetPayload<object>;

function toRow(offer: Offer) {
  return {
    id: offer.id,
    name: offer.name,
    audience: offer.audience as Prisma.InputJsonValue,
    content: offer.content as Prisma.InputJsonValue,
    discount: offer.discount as Prisma.InputJsonValue,
    priority: offer.priority,
    startsAt: offer.startsAt,
    endsAt: offer.endsAt,
    holdoutPercent: offer.holdoutPercent,
    status: offer.status,
  };
}

// Stored rows were validated on the way in; parsing again keeps the type honest if a row was edited by hand. Rows
// from before Cadence-created codes had a value still read (storedOfferSchema).
function fromRow(row: OfferRow): Offer {
  return storedOfferSchema.parse({
    id: row.id,
    name: row.name,
    audience: row.audience,
    content: row.content,
    discount: row.discount,
    priority: row.priority,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    holdoutPercent: row.holdoutPercent,
    status: row.status,
  });
}
