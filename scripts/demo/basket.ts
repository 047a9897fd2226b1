import { DAY_MS } from "./calendar.ts";
import { PRODUCT_TYPES } from "./catalogue.ts";
import type { IdSequences } from "./ids.ts";
import { catalogueMinor } from "./money.ts";
import type {
  CancelReason,
  Cancellation,
  Customer,
  DiscountCode,
  FinancialStatus,
  Order,
  OrderLine,
  Persona,
  Product,
  ProductType,
  Refund,
  ResolvedHistoryOptions,
} from "./model.ts";
import type { Random } from "./random.ts";

// What is in one order, what it costs, and what later happens to it (refund, cancellation).

const LINE_COUNTS = [1, 2, 3, 4, 5];
const LINE_COUNT_WEIGHTS: Partial<Record<Persona, readonly number[]>> = {
  vip: [0.2, 0.25, 0.25, 0.18, 0.12],
  weekly: [0.6, 0.3, 0.07, 0.02, 0.01],
};
const DEFAULT_LINE_COUNT_WEIGHTS = [0.52, 0.27, 0.12, 0.06, 0.03];
const CANCEL_REASONS: readonly CancelReason[] = ["customer", "inventory", "fraud", "declined", "other"];
const CANCEL_REASON_WEIGHTS = [0.6, 0.15, 0.1, 0.05, 0.1];

export class Basket {
  private readonly byType = new Map<ProductType, { products: Product[]; weights: number[] }>();
  private readonly giftWeights: number[];
  private readonly plainWeights: number[];
  private readonly freeShippingFrom: number;
  private readonly standardShipping: number;
  private readonly expressShipping: number;
  private readonly fixedDiscount: number;

  constructor(
    private readonly products: readonly Product[],
    private readonly options: ResolvedHistoryOptions,
  ) {
    for (const type of PRODUCT_TYPES) {
      const ofType = products.filter((product) => product.productType === type);
      this.byType.set(type, { products: ofType, weights: ofType.map((product) => product.popularity) });
    }
    this.plainWeights = products.map((product) => product.popularity);
    this.giftWeights = products.map((product) => product.popularity * (product.productType === "Gift Sets" ? 4 : 1));
    this.freeShippingFrom = catalogueMinor(50, options.currency);
    this.standardShipping = catalogueMinor(3.95, options.currency);
    this.expressShipping = catalogueMinor(5.95, options.currency);
    this.fixedDiscount = catalogueMinor(5, options.currency);
  }

  /** A complete order placed at createdAtMs; IDs are taken from ids, so call in emission (time) order. */
  order(customer: Customer | null, orderIndex: number, createdAtMs: number, random: Random, ids: IdSequences): Order {
    const created = new Date(createdAtMs);
    const month = created.getUTCMonth();
    const persona = customer?.persona ?? "one-off";
    const lines = this.lines(customer, persona, month >= 10, random, ids);
    const lineItemsMinor = lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0);

    const discountCode = this.discount(persona, orderIndex, created, lineItemsMinor, random);
    const discountMinor = discountCode
      ? Math.min(
          lineItemsMinor,
          discountCode.type === "percentage"
            ? Math.round((lineItemsMinor * discountCode.value) / 100)
            : discountCode.value,
        )
      : 0;
    allocate(lines, discountMinor, lineItemsMinor);
    for (const line of lines)
      line.taxMinor = Math.round((line.unitPriceMinor * line.quantity - line.discountMinor) * line.taxRate);

    const subtotalMinor = lineItemsMinor - discountMinor;
    const express = random.chance(0.15);
    const shippingMinor =
      subtotalMinor >= this.freeShippingFrom ? 0 : express ? this.expressShipping : this.standardShipping;
    const shippingTitle =
      shippingMinor === 0 ? "Free UK Delivery" : express ? "Express Delivery" : "Royal Mail Tracked 48";
    const taxMinor = lines.reduce((sum, line) => sum + line.taxMinor, 0);
    const totalMinor = subtotalMinor + shippingMinor + taxMinor;
    const test = random.chance(this.options.testShare);
    const { id, number } = ids.order();

    const order: Order = {
      id,
      number,
      name: `#${number}`,
      customer,
      createdAt: created,
      processedAt: created,
      updatedAt: created,
      currency: this.options.currency,
      test,
      lines,
      discountCode,
      lineItemsMinor,
      discountMinor,
      subtotalMinor,
      shippingMinor,
      shippingTitle,
      taxMinor,
      totalMinor,
      financialStatus: "paid",
      refund: null,
      cancellation: null,
    };
    this.aftermath(order, random, ids);
    return order;
  }

  private lines(
    customer: Customer | null,
    persona: Persona,
    giftSeason: boolean,
    random: Random,
    ids: IdSequences,
  ): OrderLine[] {
    const count = random.weighted(LINE_COUNTS, LINE_COUNT_WEIGHTS[persona] ?? DEFAULT_LINE_COUNT_WEIGHTS);
    const chosen = new Set<Product>();
    for (let attempt = 0; chosen.size < count && attempt < count * 4; attempt += 1) {
      const favourite =
        customer && random.chance(0.55) ? this.byType.get(customer.truth.favouriteProductType) : undefined;
      const product = favourite
        ? random.weighted(favourite.products, favourite.weights)
        : random.weighted(this.products, giftSeason ? this.giftWeights : this.plainWeights);
      chosen.add(product);
    }
    return [...chosen].map((product) => ({
      id: ids.lineItem(),
      productId: product.id,
      variantId: product.variantId,
      productType: product.productType,
      title: product.title,
      sku: product.sku,
      vendor: product.vendor,
      grams: product.grams,
      quantity: random.weighted([1, 2, 3], persona === "vip" ? [0.6, 0.3, 0.1] : [0.85, 0.12, 0.03]),
      unitPriceMinor: product.priceMinor,
      discountMinor: 0,
      taxRate: product.taxRate,
      taxMinor: 0,
    }));
  }

  private discount(
    persona: Persona,
    orderIndex: number,
    created: Date,
    lineItemsMinor: number,
    random: Random,
  ): DiscountCode | null {
    const month = created.getUTCMonth();
    const day = created.getUTCDate();
    if (orderIndex === 0 && random.chance(0.25)) return { code: "WELCOME10", type: "percentage", value: 10 };
    if (month === 10 && day >= 20 && random.chance(0.45))
      return { code: "BLACKFRIDAY25", type: "percentage", value: 25 };
    if (month === 11 && day <= 20 && random.chance(0.15)) return { code: "XMAS15", type: "percentage", value: 15 };
    if (month >= 5 && month <= 7 && random.chance(0.1)) return { code: "SUMMER15", type: "percentage", value: 15 };
    if (persona === "vip" && random.chance(0.2)) return { code: "VIP20", type: "percentage", value: 20 };
    if (lineItemsMinor >= this.fixedDiscount * 5 && random.chance(0.04))
      return { code: "SAVE5", type: "fixed_amount", value: this.fixedDiscount };
    return null;
  }

  /** Decides the order's cancellation or refund; events after the end of the history have not happened yet. */
  private aftermath(order: Order, random: Random, ids: IdSequences): void {
    const created = order.createdAt.getTime();
    const end = this.options.end.getTime();
    if (random.chance(this.options.cancelShare)) {
      const at = created + Math.max(300, Math.round(random.exponential(1 / (8 * 3600)))) * 1000;
      if (at < end) {
        order.cancellation = {
          at: new Date(at),
          reason: random.weighted(CANCEL_REASONS, CANCEL_REASON_WEIGHTS),
        } satisfies Cancellation;
        order.financialStatus = "voided";
        order.updatedAt = order.cancellation.at;
      }
      return;
    }
    if (order.test || !random.chance(this.options.refundShare / (1 - this.options.cancelShare))) return;
    const at = created + DAY_MS + Math.round(random.exponential(1 / (12 * 86_400))) * 1000;
    const kind = random.weighted(["full", "partial", "goodwill"] as const, [0.35, 0.5, 0.15]);
    const units = order.lines.reduce((sum, line) => sum + line.quantity, 0);
    const refund = buildRefund(order, units > 1 || kind !== "partial" ? kind : "goodwill", new Date(at), random, ids);
    if (at >= end) return;
    order.refund = refund;
    order.financialStatus = refundedStatus(refund);
    order.updatedAt = refund.createdAt;
  }
}

function refundedStatus(refund: Refund): FinancialStatus {
  return refund.kind === "full" ? "refunded" : "partially_refunded";
}

/** Spreads an order discount over its lines in proportion to their value, cents left over going first-come. */
function allocate(lines: OrderLine[], discountMinor: number, lineItemsMinor: number): void {
  if (discountMinor === 0 || lineItemsMinor === 0) return;
  let left = discountMinor;
  for (const line of lines) {
    line.discountMinor = Math.floor((line.unitPriceMinor * line.quantity * discountMinor) / lineItemsMinor);
    left -= line.discountMinor;
  }
  for (const line of lines) {
    if (left === 0) break;
    if (line.discountMinor < line.unitPriceMinor * line.quantity) {
      line.discountMinor += 1;
      left -= 1;
    }
  }
}

function buildRefund(order: Order, kind: Refund["kind"], createdAt: Date, random: Random, ids: IdSequences): Refund {
  const id = ids.refund();
  const transactionId = ids.transaction();
  if (kind === "goodwill") {
    const amountMinor = Math.max(1, Math.round(order.totalMinor * random.uniform(0.1, 0.3)));
    return {
      id,
      transactionId,
      createdAt,
      kind,
      note: "Goodwill gesture for a late delivery",
      lines: [],
      shippingMinor: 0,
      amountMinor,
    };
  }
  const returned =
    kind === "full"
      ? order.lines.map((line) => ({ line, quantity: line.quantity }))
      : partialSelection(order.lines, random);
  const lines = returned.map(({ line, quantity }) => ({
    id: ids.refundLine(),
    lineItemId: line.id,
    quantity,
    subtotalMinor: Math.round(((line.unitPriceMinor * line.quantity - line.discountMinor) * quantity) / line.quantity),
    taxMinor: Math.round((line.taxMinor * quantity) / line.quantity),
  }));
  const shippingMinor = kind === "full" ? order.shippingMinor : 0;
  const amountMinor = lines.reduce((sum, line) => sum + line.subtotalMinor + line.taxMinor, shippingMinor);
  const note = kind === "full" ? "Returned: changed mind" : "Item arrived damaged";
  return { id, transactionId, createdAt, kind, note, lines, shippingMinor, amountMinor };
}

/** Some units of some lines, never every unit (that would be a full refund). */
function partialSelection(lines: readonly OrderLine[], random: Random): Array<{ line: OrderLine; quantity: number }> {
  const picked = lines
    .map((line) => ({ line, quantity: random.chance(0.5) ? random.int(1, line.quantity) : 0 }))
    .filter((entry) => entry.quantity > 0);
  if (picked.length === 0) picked.push({ line: random.pick(lines), quantity: 1 });
  const all = picked.length === lines.length && picked.every((entry) => entry.quantity === entry.line.quantity);
  if (all) {
    const last = picked[picked.length - 1] as { line: OrderLine; quantity: number };
    if (last.quantity > 1) last.quantity -= 1;
    else picked.pop();
  }
  return picked;
}
