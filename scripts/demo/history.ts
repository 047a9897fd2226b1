import { Basket } from "./basket.ts";
import { Calendar } from "./calendar.ts";
import { buildCatalogue } from "./catalogue.ts";
import { buildCustomers, STREAM } from "./customers.ts";
import { MinHeap } from "./heap.ts";
import { IdSequences } from "./ids.ts";
import { resolveHistoryOptions } from "./model.ts";
import type { Customer, HistoryOptions, Order, Product, Refund, ResolvedHistoryOptions } from "./model.ts";
import { nextPurchaseTime } from "./purchase-times.ts";
import { Random } from "./random.ts";

// A believable shop's order history, deterministic for given options. Customers and products are held in
// memory; orders are produced lazily in global time order by merging every customer's purchase clock (and the
// guest stream) through a heap, so a million orders never sit in memory at once.

export type { HistoryOptions } from "./model.ts";

export interface HistoryPlan {
  options: ResolvedHistoryOptions;
  products: Product[];
  /** In creation order (ordinal 1 first). */
  customers: Customer[];
}

export interface ShopHistory extends HistoryPlan {
  /** Sorted by createdAt (ties in a fixed order); order numbers and IDs increase in the same order. */
  orders: Order[];
}

export type HistoryEvent =
  | { type: "customer-created"; at: Date; customer: Customer }
  | { type: "order-created"; at: Date; order: Order }
  | { type: "order-cancelled"; at: Date; order: Order }
  | { type: "refund-created"; at: Date; order: Order; refund: Refund };

/** The shop's catalogue and customers; everything iterateOrders needs besides the options. */
export function planHistory(options: HistoryOptions = {}): HistoryPlan {
  const resolved = resolveHistoryOptions(options);
  const calendar = new Calendar(resolved.start, resolved.end);
  return {
    options: resolved,
    products: buildCatalogue(resolved.seed, resolved.currency),
    customers: buildCustomers(resolved, calendar),
  };
}

/** Every order of a 3,000-customer shop (the default) in memory: for the demo and tests. */
export function generateHistory(options: HistoryOptions = {}): ShopHistory {
  const plan = planHistory(options);
  return { ...plan, orders: [...iterateOrders(plan)] };
}

function timeStream(plan: HistoryPlan, customer: Customer): Random {
  return Random.derive(plan.options.seed, STREAM.times, customer.ordinal);
}

/** How many orders registered customers place, by running their purchase clocks without building baskets. */
function countCustomerOrders(plan: HistoryPlan, calendar: Calendar): number {
  let count = 0;
  for (const customer of plan.customers) {
    const first = customer.truth.firstPurchaseAt;
    if (!first) continue;
    const random = timeStream(plan, customer);
    let at: number | null = first.getTime();
    while (at !== null) {
      count += 1;
      at = nextPurchaseTime(at, customer.truth.ratePerDay, customer.truth.dropoutProbability, calendar, random);
    }
  }
  return count;
}

/** Guest checkout times, sized so guests make up guestShare of all orders and following the shop's growth. */
function guestTimes(plan: HistoryPlan, calendar: Calendar): Float64Array {
  const { guestShare, seed } = plan.options;
  const customerOrders = guestShare > 0 ? countCustomerOrders(plan, calendar) : 0;
  const count = Math.round((customerOrders * guestShare) / (1 - guestShare));
  const random = Random.derive(seed, STREAM.guests);
  const times = new Float64Array(count);
  for (let i = 0; i < count; i += 1) times[i] = calendar.sampleAcquisition(random);
  return times.sort();
}

interface Source {
  customer: Customer | null;
  times: Random;
  basket: Random;
  orderIndex: number;
}

/**
 * Every order of the shop in global time order (by createdAt; ties broken by customer ordinal, guests last),
 * generated lazily. Memory is O(customers), not O(orders). Pass a plan to reuse its customers and products.
 */
export function* iterateOrders(planOrOptions: HistoryPlan | HistoryOptions = {}): Generator<Order, void, undefined> {
  const plan =
    "products" in planOrOptions ? (planOrOptions as HistoryPlan) : planHistory(planOrOptions as HistoryOptions);
  const { options } = plan;
  const calendar = new Calendar(options.start, options.end);
  const basket = new Basket(plan.products, options);
  const ids = new IdSequences(options.seed, STREAM.ids);
  const guests = guestTimes(plan, calendar);
  const guestRandom = Random.derive(options.seed, STREAM.guests, 1);

  const heap = new MinHeap<Source>();
  for (const customer of plan.customers) {
    const first = customer.truth.firstPurchaseAt;
    if (!first) continue;
    const source = {
      customer,
      times: timeStream(plan, customer),
      basket: Random.derive(options.seed, STREAM.baskets, customer.ordinal),
      orderIndex: 0,
    };
    heap.push(first.getTime(), customer.ordinal, source);
  }
  const GUEST_TIE = plan.customers.length + 1;
  const guestSource: Source = { customer: null, times: guestRandom, basket: guestRandom, orderIndex: 0 };
  if (guests.length > 0) heap.push(guests[0] as number, GUEST_TIE, guestSource);

  while (heap.size > 0) {
    const at = heap.peekKey();
    const source = heap.pop() as Source;
    // Every guest checkout is somebody's first order as far as the shop can tell.
    yield basket.order(source.customer, source.customer ? source.orderIndex : 0, at, source.basket, ids);
    source.orderIndex += 1;
    if (source.customer) {
      const { ratePerDay, dropoutProbability } = source.customer.truth;
      const next = nextPurchaseTime(at, ratePerDay, dropoutProbability, calendar, source.times);
      if (next !== null) heap.push(next, source.customer.ordinal, source);
    } else if (source.orderIndex < guests.length) {
      heap.push(guests[source.orderIndex] as number, GUEST_TIE, source);
    }
  }
}

const EVENT_RANK = { "customer-created": 0, "order-created": 1, "order-cancelled": 2, "refund-created": 3 } as const;

/**
 * The shop's history as the webhooks Shopify would send, in time order: customer creations (before that
 * customer's first order), order creations, cancellations and refunds. Ties: customers, then orders, then
 * follow-ups in the order their orders were placed.
 */
export function* iterateEvents(
  planOrOptions: HistoryPlan | HistoryOptions = {},
): Generator<HistoryEvent, void, undefined> {
  const plan =
    "products" in planOrOptions ? (planOrOptions as HistoryPlan) : planHistory(planOrOptions as HistoryOptions);
  const orders = iterateOrders(plan);
  const followUps = new MinHeap<HistoryEvent>();
  let sequence = 0;
  let customerIndex = 0;
  let nextOrder = orders.next();

  const candidates = (): Array<{ at: number; rank: number }> => {
    const list: Array<{ at: number; rank: number }> = [];
    const customer = plan.customers[customerIndex];
    if (customer) list.push({ at: customer.createdAt.getTime(), rank: EVENT_RANK["customer-created"] });
    if (!nextOrder.done) list.push({ at: nextOrder.value.createdAt.getTime(), rank: EVENT_RANK["order-created"] });
    if (followUps.size > 0) list.push({ at: followUps.peekKey(), rank: EVENT_RANK["order-cancelled"] });
    return list;
  };

  for (;;) {
    const list = candidates();
    if (list.length === 0) return;
    const first = list.reduce((best, candidate) =>
      candidate.at < best.at || (candidate.at === best.at && candidate.rank < best.rank) ? candidate : best,
    );
    if (first.rank === EVENT_RANK["customer-created"]) {
      const customer = plan.customers[customerIndex] as Customer;
      customerIndex += 1;
      yield { type: "customer-created", at: customer.createdAt, customer };
    } else if (first.rank === EVENT_RANK["order-created"] && !nextOrder.done) {
      const order = nextOrder.value;
      nextOrder = orders.next();
      if (order.cancellation) {
        followUps.push(order.cancellation.at.getTime(), (sequence += 1), {
          type: "order-cancelled",
          at: order.cancellation.at,
          order,
        });
      }
      if (order.refund) {
        followUps.push(order.refund.createdAt.getTime(), (sequence += 1), {
          type: "refund-created",
          at: order.refund.createdAt,
          order,
          refund: order.refund,
        });
      }
      yield { type: "order-created", at: order.createdAt, order };
    } else {
      yield followUps.pop() as HistoryEvent;
    }
  }
}
