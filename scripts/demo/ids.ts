import { Random } from "./random.ts";

// Shopify IDs grow over time (one sequence shared by every shop on the platform), so each resource type gets an
// increasing sequence with random gaps. They are handed out in the order orders are emitted, which is time order.

class Sequence {
  private value: number;
  constructor(
    private readonly random: Random,
    base: number,
    private readonly maxGap: number,
  ) {
    this.value = base + random.int(0, maxGap * 100);
  }
  next(): string {
    this.value += this.random.int(1, this.maxGap);
    return String(this.value);
  }
}

export class IdSequences {
  private readonly orders: Sequence;
  private readonly lineItems: Sequence;
  private readonly refunds: Sequence;
  private readonly refundLines: Sequence;
  private readonly transactions: Sequence;
  private orderNumber = 1000;

  constructor(seed: number, stream: number) {
    const random = Random.derive(seed, stream);
    this.orders = new Sequence(random, 5_600_000_000_000, 2_000_000);
    this.lineItems = new Sequence(random, 14_600_000_000_000, 400_000);
    this.refunds = new Sequence(random, 950_000_000_000, 1_000_000);
    this.refundLines = new Sequence(random, 560_000_000_000, 1_000_000);
    this.transactions = new Sequence(random, 7_200_000_000_000, 2_000_000);
  }

  order(): { id: string; number: number } {
    this.orderNumber += 1;
    return { id: this.orders.next(), number: this.orderNumber };
  }
  lineItem(): string {
    return this.lineItems.next();
  }
  refund(): string {
    return this.refunds.next();
  }
  refundLine(): string {
    return this.refundLines.next();
  }
  transaction(): string {
    return this.transactions.next();
  }
}
