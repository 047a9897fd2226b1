import type { Prisma, PrismaClient } from "@prisma/client";
import { csvHeader, csvRows } from "~/csv/safe-csv";
import { recordFromRow } from "~/recompute/stored-profiles.server";
import { columnNames, CUSTOMER_COLUMNS, customerCsvRow } from "~/segments/customer-csv";
import type { SegmentRef } from "~/segments/segment-key";

// A segment's members as CSV (the segment CLI's customers.csv columns), streamed: a page of profiles is read only
// when the download has taken the previous one, so a 200,000-member export holds one page in memory.

const PAGE = 1000;

function memberWhere(shopId: string, ref: SegmentRef): Prisma.CustomerProfileWhereInput {
  switch (ref.kind) {
    case "tier":
      return { shopId, tierId: ref.tierId };
    case "rfm":
      return { shopId, rfmGroup: ref.group };
    case "lifecycle":
      return { shopId, lifecycle: ref.stage };
    case "membership":
      return { shopId, segments: { has: ref.segmentKey } };
  }
}

export function segmentCsvStream(
  prisma: PrismaClient,
  shop: { id: string; currencyCode: string },
  ref: SegmentRef,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const format = { currency: shop.currencyCode, unit: "day" as const };
  let after: string | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvHeader(columnNames(CUSTOMER_COLUMNS))));
        return;
      }
      const rows = await prisma.customerProfile.findMany({
        where: { ...memberWhere(shop.id, ref), ...(after === null ? {} : { customerShopifyId: { gt: after } }) },
        orderBy: { customerShopifyId: "asc" },
        take: PAGE,
      });
      if (rows.length === 0) {
        controller.close();
        return;
      }
      after = rows[rows.length - 1]!.customerShopifyId;
      controller.enqueue(encoder.encode(csvRows(rows.map((row) => customerCsvRow(recordFromRow(row), format)))));
    },
  });
}
