import type { Prisma, PrismaClient } from "@prisma/client";
import { isUniqueViolation } from "~/database/errors";
import type { ZodError } from "zod";
import { OFFER_STATUSES, offerSchema, type Offer, type OfferInput, type OfferStatus } from "./model";

// Offers as stored, per shop. The admin's pages and the CLI build on these functions: every one takes the Prisma
// client and the shop's row ID (Shop.id) first, and every query filters on that shop. Validation is
// app/offers/model.ts's; failures come back as field errors keyed by the input's path ("content.headline"),
// never thrown, so a form can show each one next to its field. docs/storefront.md "Offers API".

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
  const row = await prisma.offer.findUnique({ where: { shopId_id: { shopId, id: offerId } } });
  return row ? fromRow(row) : null;
}

/**
 * Validates and stores a new offer. Without `id`, one is made from the name ("Gold members" → "gold-members",
 * then "gold-members-2"…). The ID is permanent: it is published and decides each shopper's holdout arm.
 */
export async function createOffer(prisma: PrismaClient, shopId: string, input: Omit<OfferInput, "id"> & { id?: string }): Promise<OfferResult> {
  const id = input.id ?? (await freeId(prisma, shopId, String(input.name ?? "")));
  const parsed = validateOffer({ ...input, id });
  if (!parsed.ok) return parsed;
  try {
    const row = await prisma.offer.create({ data: { shopId, ...toRow(parsed.offer) } });
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
  const row = await prisma.offer.update({ where: { shopId_id: { shopId, id: offerId } }, data: toRow(parsed.offer) });
  return { ok: true, offer: fromRow(row) };
}

export function setOfferStatus(prisma: PrismaClient, shopId: string, offerId: string, status: OfferStatus): Promise<OfferResult> {
  if (!OFFER_STATUSES.includes(status)) return Promise.resolve({ ok: false, errors: { status: `must be one of ${OFFER_STATUSES.join(", ")}` } });
  return updateOffer(prisma, shopId, offerId, { status });
}

/**
 * Deletes a draft. An offer that has been active keeps its row (archive it instead): exposures and assignments
 * refer to it, and its report stays readable.
 */
export async function deleteDraftOffer(prisma: PrismaClient, shopId: string, offerId: string): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
  const { count } = await prisma.offer.deleteMany({ where: { shopId, id: offerId, status: "draft" } });
  if (count === 1) return { ok: true };
  const exists = await getOffer(prisma, shopId, offerId);
  return { ok: false, errors: { id: exists ? "only a draft can be deleted; archive this offer instead" : `no offer "${offerId}" in this shop` } };
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
    (await prisma.offer.findMany({ where: { shopId, id: { startsWith: base } }, select: { id: true } })).map((row) => row.id),
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

// Stored rows were validated on the way in; parsing again keeps the type honest if a row was edited by hand.
function fromRow(row: OfferRow): Offer {
  return offerSchema.parse({
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
