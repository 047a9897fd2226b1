// Child process of test/unit/shopify-admin/bulk-jsonl-memory.test.ts: streams a generated Shopify bulk JSONL of N orders
// (each order line followed by its line items' `__parentId` lines) through the backfill's reader and normalisers,
// sampling the heap after garbage collection, and prints one JSON line of what it saw. Run with --expose-gc and a
// small --max-old-space-size: holding the file (well over 100 MB) would crash it.
import { readBulkJsonl } from "~/shopify-admin/bulk-jsonl";
import { normalizeGraphqlLineOf, normalizeGraphqlOrder } from "~/ingest/order-graphql";
import type { BulkLineItemLine, BulkOrderLine } from "~/shopify-admin/operations/bulk-queries";
import { bulkOrderLines } from "../admin-fixtures.ts";

const orders = Number(process.argv[2] ?? 100_000);
const encoder = new TextEncoder();
let bytes = 0;

// The file as Shopify's storage would send it: chunks of many lines, generated on demand, never whole.
async function* file(): AsyncGenerator<Uint8Array> {
  let chunk = "";
  for (let n = 1; n <= orders; n++) {
    const { order, lineItems } = bulkOrderLines({
      id: String(3200000000 + n),
      customerId: String(9200000000 + (n % 5000)),
      subtotal: "42.50",
      total: "47.50",
      updatedAt: "2026-02-01T10:00:00Z",
      lines: [
        { id: `${5200000000 + n}1`, amount: "30.00", productId: `${6200000 + (n % 300)}`, productType: "Coffee Beans" },
        {
          id: `${5200000000 + n}2`,
          amount: "12.50",
          quantity: 2,
          productId: `${6300000 + (n % 40)}`,
          productType: "Tea",
        },
      ],
    });
    chunk += `${order}\n${lineItems.join("\n")}\n`;
    if (chunk.length >= 64_000) {
      const encoded = encoder.encode(chunk);
      bytes += encoded.length;
      yield encoded;
      chunk = "";
    }
  }
  const encoded = encoder.encode(chunk);
  bytes += encoded.length;
  yield encoded;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
gc();
const baseline = process.memoryUsage().heapUsed;
let maxGrowth = 0;
let roots = 0;
let children = 0;
let netMinor = 0;
for await (const { line, object } of readBulkJsonl(file())) {
  if (typeof object.__parentId === "string") {
    const normalized = normalizeGraphqlLineOf(object.__parentId, object as unknown as BulkLineItemLine);
    netMinor += normalized.amountMinor;
    children += 1;
  } else {
    normalizeGraphqlOrder({ ...(object as unknown as BulkOrderLine), lineItems: [] });
    roots += 1;
  }
  if (line % 50_000 === 0) {
    gc();
    maxGrowth = Math.max(maxGrowth, process.memoryUsage().heapUsed - baseline);
  }
}
gc();
maxGrowth = Math.max(maxGrowth, process.memoryUsage().heapUsed - baseline);
console.log(JSON.stringify({ roots, children, bytes, lineAmountMinor: netMinor, maxHeapGrowthBytes: maxGrowth }));
