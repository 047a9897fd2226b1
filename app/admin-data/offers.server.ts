import type { PrismaClient } from "@prisma/client";
import type { Offer, OfferStatus } from "~/offers/model";
import type { VerdictKind } from "~/offers/measurement/report";
import { shopOfferReports } from "~/offers/report.server";
import type { OfferReportRow } from "~/offers/report.server";
import {
  createOffer,
  deleteDraftOffer,
  getOffer,
  listOffers,
  setOfferStatus,
  updateOffer,
} from "~/offers/store.server";
import type { FieldErrors } from "~/offers/store.server";
import { discountRecord, retryDiscount } from "~/offers/discount-records.server";
import { segmentName } from "~/publish/discounts/sync.server";
import { getLoyaltyProgram } from "~/recompute/loyalty.server";
import { LIFECYCLE_STAGES } from "~/segments/lifecycle/stage";
import { builtinSegmentLabel, lifecycleLabel, rfmGroupLabel } from "~/segments/names";
import { RFM_GROUPS } from "~/segments/rfm/groups";
import { BUILTIN_SEGMENTS } from "~/segments/winback/occasions";
import { discountStatus } from "./offer-discount-status";
import { audienceValue, formValues, parseOfferForm, toFormErrors } from "./offer-form";
import type { AdminShop } from "./shop.server";

// What the Offers pages read and write. Offer CRUD and validation are app/offers/store.server.ts's, results are
// app/offers/report.server.ts's; this module picks the shop's audience choices, shapes rows for the pages (no
// BigInt, no Date: they cross the loader boundary) and turns form posts into store calls.

export interface AudienceChoice {
  value: string;
  label: string;
  group:
    | "Everyone"
    | "Loyalty tier"
    | "Win-back and occasions"
    | "RFM group"
    | "Lifecycle stage"
    | "Custom segment"
    | "Guests";
}

// Shoppers carry their RFM group as "rfm_<group>" and their lifecycle stage as the stage itself among their segment
// keys (app/publish/audience.server.ts). The stages At risk, Lapsed and Lost are the win-back segments of those
// names, key for key, so they are offered once, under win-back.
const WINBACK_STAGES = new Set<string>(["at_risk", "lapsed", "lost"]);

export async function audienceChoices(prisma: PrismaClient, shopId: string): Promise<AudienceChoice[]> {
  const [loyalty, custom] = await Promise.all([
    getLoyaltyProgram(prisma, shopId),
    prisma.segmentDefinition.findMany({
      where: { shopId, archivedAt: null },
      orderBy: { name: "asc" },
      select: { key: true, name: true },
    }),
  ]);
  return [
    { value: "everyone", label: "Everyone", group: "Everyone" },
    ...(loyalty?.program.tiers ?? []).map((tier) => ({
      value: `tier:${tier.id}`,
      label: `${tier.name} tier`,
      group: "Loyalty tier" as const,
    })),
    ...BUILTIN_SEGMENTS.map((key) => ({
      value: `segment:${key}`,
      label: builtinSegmentLabel(key),
      group: "Win-back and occasions" as const,
    })),
    ...RFM_GROUPS.map((group) => ({
      value: `segment:rfm_${group}`,
      label: rfmGroupLabel(group),
      group: "RFM group" as const,
    })),
    ...LIFECYCLE_STAGES.filter((stage) => !WINBACK_STAGES.has(stage)).map((stage) => ({
      value: `segment:${stage}`,
      label: lifecycleLabel(stage),
      group: "Lifecycle stage" as const,
    })),
    ...custom.map((segment) => ({
      value: `custom_segment:${segment.key}`,
      label: segment.name,
      group: "Custom segment" as const,
    })),
    { value: "guests", label: "Guests (not logged in)", group: "Guests" },
  ];
}

/** An audience's label among the shop's choices; one that no longer exists (an archived segment) says so. */
function audienceLabel(offer: Offer, choices: AudienceChoice[]): string {
  const value = audienceValue(offer.audience);
  return choices.find((choice) => choice.value === value)?.label ?? "A segment that no longer exists";
}

export interface ArmFigures {
  exposures: number;
  shoppers: number;
  conversions: number;
  conversionRate: number;
  revenuePerShopperMinor: number;
  clicks: number;
}

export interface OfferResults {
  currency: string;
  windowDays: number;
  confidence: number;
  arms: { treatment: ArmFigures; holdout: ArmFigures };
  guest: { exposures: number; clicks: number };
  lift: OfferReportRow["report"]["lift"];
  verdict: OfferReportRow["report"]["verdict"];
}

function results(row: OfferReportRow, currency: string, windowDays: number): OfferResults {
  const arm = (name: "treatment" | "holdout"): ArmFigures => {
    const outcome = row.report.arms[name];
    return {
      exposures: outcome.exposures,
      shoppers: outcome.shoppers,
      conversions: outcome.conversions,
      conversionRate: outcome.conversionRate,
      revenuePerShopperMinor: outcome.revenue.mean,
      clicks: row.clicks[name],
    };
  };
  return {
    currency,
    windowDays,
    confidence: row.report.confidence,
    arms: { treatment: arm("treatment"), holdout: arm("holdout") },
    guest: row.guest,
    lift: row.report.lift,
    verdict: row.report.verdict,
  };
}

export interface OfferListRow {
  id: string;
  name: string;
  status: OfferStatus;
  audience: string;
  /** The audience as the form holds it ("guests", "segment:at_risk"). */
  audienceValue: string;
  priority: number;
  headline: string;
  startsAt: string | null;
  endsAt: string | null;
  exposures: number;
  /** Conversion difference, treatment minus holdout, with its interval; null until both arms have shoppers. */
  lift: { estimate: number; lower: number; upper: number } | null;
  verdict: VerdictKind | null;
}

export async function offerList(
  prisma: PrismaClient,
  shop: AdminShop,
): Promise<{ currency: string; offers: OfferListRow[] }> {
  const [offers, choices, reports] = await Promise.all([
    listOffers(prisma, shop.id),
    audienceChoices(prisma, shop.id),
    shopOfferReports(prisma, shop.domain),
  ]);
  const byId = new Map(reports.offers.map((row) => [row.offer.id, row]));
  return {
    currency: shop.currencyCode,
    offers: offers.map((offer) => {
      const row = byId.get(offer.id);
      return {
        id: offer.id,
        name: offer.name,
        status: offer.status,
        audience: audienceLabel(offer, choices),
        audienceValue: audienceValue(offer.audience),
        priority: offer.priority,
        headline: offer.content.headline,
        startsAt: offer.startsAt?.toISOString() ?? null,
        endsAt: offer.endsAt?.toISOString() ?? null,
        exposures: row
          ? row.report.arms.treatment.exposures + row.report.arms.holdout.exposures + row.guest.exposures
          : 0,
        lift: row?.report.lift?.conversionDifference ?? null,
        verdict: row?.report.verdict.kind ?? null,
      };
    }),
  };
}

/** The new-offer page; `audience` (from a dashboard link: "segment:high_value_at_risk") is preselected when the shop has it. */
export async function newOfferPage(prisma: PrismaClient, shop: AdminShop, audience: string | null = null) {
  const audiences = await audienceChoices(prisma, shop.id);
  const preset = audiences.find((choice) => choice.value === audience);
  return { audiences, currency: shop.currencyCode, audience: preset?.value ?? null };
}

/** The edit page: the offer as form values, its status, and its results (none for a draft: it has never run). */
export async function offerPage(prisma: PrismaClient, shop: AdminShop, offerId: string) {
  const offer = await getOffer(prisma, shop.id, offerId);
  if (!offer) throw new Response(`No offer "${offerId}" in this shop.`, { status: 404 });
  const [audiences, reports, record] = await Promise.all([
    audienceChoices(prisma, shop.id),
    shopOfferReports(prisma, shop.domain),
    discountRecord(prisma, shop.id, offerId),
  ]);
  const row = reports.offers.find((report) => report.offer.id === offerId);
  return {
    offer: { id: offer.id, name: offer.name, status: offer.status, values: formValues(offer, shop.currencyCode) },
    audiences,
    currency: shop.currencyCode,
    discount: discountStatus(offer, record, segmentName(offer.id)),
    results: row ? results(row, reports.currency, reports.windowDays) : null,
  };
}

export type OfferAction =
  { ok: true; message: string; offerId: string; deleted?: boolean } | { ok: false; errors: FieldErrors };

async function parse(prisma: PrismaClient, shop: AdminShop, form: FormData) {
  const choices = await audienceChoices(prisma, shop.id);
  return parseOfferForm(form, new Set(choices.map((choice) => choice.value)), shop.currencyCode);
}

/** A store failure as the form shows it: each error on the field the merchant typed into. */
function refused(result: { ok: false; errors: FieldErrors }): OfferAction {
  return { ok: false, errors: toFormErrors(result.errors) };
}

/** Creates a draft from the form, or active straight away when the merchant chose "Create and activate". */
export async function createOfferFromForm(prisma: PrismaClient, shop: AdminShop, form: FormData): Promise<OfferAction> {
  const parsed = await parse(prisma, shop, form);
  if (!parsed.ok) return parsed;
  const status = form.get("intent") === "activate" ? "active" : "draft";
  const result = await createOffer(prisma, shop.id, { ...parsed.input, status });
  return result.ok
    ? {
        ok: true,
        message: status === "active" ? "Offer created and active" : "Draft offer created",
        offerId: result.offer.id,
      }
    : refused(result);
}

const STATUS_INTENTS: Record<string, { status: OfferStatus; message: string }> = {
  activate: { status: "active", message: "Offer activated" },
  pause: { status: "paused", message: "Offer paused" },
  resume: { status: "active", message: "Offer resumed" },
  archive: { status: "archived", message: "Offer archived" },
};

/** Save, a status change (activate, pause, resume, archive) or deleting a draft: `intent` says which. */
export async function changeOfferFromForm(
  prisma: PrismaClient,
  shop: AdminShop,
  offerId: string,
  form: FormData,
): Promise<OfferAction> {
  const current = await getOffer(prisma, shop.id, offerId);
  if (!current) throw new Response(`No offer "${offerId}" in this shop.`, { status: 404 });
  const intent = String(form.get("intent") ?? "save");
  if (intent === "delete") {
    const result = await deleteDraftOffer(prisma, shop.id, offerId);
    return result.ok ? { ok: true, message: "Draft deleted", offerId, deleted: true } : result;
  }
  if (intent === "retry-discount") {
    if (current.discount.kind !== "cadence_code")
      return { ok: false, errors: { intent: "This offer has no code for Cadence to create." } };
    await retryDiscount(prisma, shop.id, offerId);
    return { ok: true, message: "Trying Shopify again", offerId };
  }
  const change = STATUS_INTENTS[intent];
  if (change) {
    const result = await setOfferStatus(prisma, shop.id, offerId, change.status);
    return result.ok ? { ok: true, message: change.message, offerId } : refused(result);
  }
  if (intent !== "save")
    return { ok: false, errors: { intent: "That action is not one this page offers; reload the page." } };
  const parsed = await parse(prisma, shop, form);
  if (!parsed.ok) return parsed;
  const result = await updateOffer(prisma, shop.id, offerId, parsed.input);
  return result.ok ? { ok: true, message: "Offer saved", offerId } : refused(result);
}
