import type { PrismaClient } from "@prisma/client";
import { shopifyAdminCustomerUrl } from "./customer.server";

// customers/data_request exports in Settings › Privacy: each request Shopify sent, whether its JSON is ready, and
// whether the merchant has handed it over to the customer. The JSON itself is downloaded from its own route
// (app.data-requests.$id.tsx). Retention: app/retention/limits.ts.

export interface DataRequestRow {
  /** The export's ID (the download's and hand-over's key); null while the job is still assembling it. */
  id: string | null;
  /** Shopify's data_request.id. */
  requestId: string;
  customerId: string;
  customerAdminUrl: string;
  receivedAt: string;
  readyAt: string | null;
  handedOverAt: string | null;
  orders: number | null;
}

/** The shop's most recent exports shown; older ones are reachable through the CLI until the purge deletes them. */
export const DATA_REQUESTS_SHOWN = 100;

export async function listDataRequests(
  prisma: PrismaClient,
  shop: { id: string; domain: string },
): Promise<DataRequestRow[]> {
  const [pending, ready] = await Promise.all([
    prisma.privacyRequest.findMany({
      where: { shopId: shop.id, kind: "data-request", finishedAt: null },
      orderBy: { receivedAt: "desc" },
      select: { dataRequestId: true, customerShopifyId: true, receivedAt: true },
    }),
    prisma.$queryRaw<
      Array<{
        id: string;
        requestId: string;
        customerId: string;
        createdAt: Date;
        handedOverAt: Date | null;
        orders: number;
      }>
    >`
      SELECT id::text AS id, "requestId", "customerShopifyId" AS "customerId", "createdAt", "handedOverAt",
             COALESCE(jsonb_array_length(data->'orders'), 0)::int AS orders
        FROM "DataRequestExport" WHERE "shopId" = ${shop.id} ORDER BY "createdAt" DESC, id DESC LIMIT ${DATA_REQUESTS_SHOWN}`,
  ]);
  const row = (fields: Omit<DataRequestRow, "customerAdminUrl">): DataRequestRow => ({
    ...fields,
    customerAdminUrl: shopifyAdminCustomerUrl(shop.domain, fields.customerId),
  });
  return [
    ...pending.map((request) =>
      row({
        id: null,
        requestId: request.dataRequestId ?? "",
        customerId: request.customerShopifyId ?? "",
        receivedAt: request.receivedAt.toISOString(),
        readyAt: null,
        handedOverAt: null,
        orders: null,
      }),
    ),
    ...ready.map((done) =>
      row({
        id: done.id,
        requestId: done.requestId,
        customerId: done.customerId,
        // The export keeps when it was assembled; the request's own row names nobody once it is finished.
        receivedAt: done.createdAt.toISOString(),
        readyAt: done.createdAt.toISOString(),
        handedOverAt: done.handedOverAt?.toISOString() ?? null,
        orders: done.orders,
      }),
    ),
  ];
}

/** An export's ID as the routes accept it: a positive integer that fits a bigint. */
export function parseExportId(text: string): bigint | null {
  return /^[1-9][0-9]{0,17}$/.test(text) ? BigInt(text) : null;
}

export async function dataRequestExport(
  prisma: PrismaClient,
  shopId: string,
  id: bigint,
): Promise<{ requestId: string; data: unknown } | null> {
  return prisma.dataRequestExport.findFirst({ where: { id, shopId }, select: { requestId: true, data: true } });
}

/** Records the hand-over (the first one counts); null when the shop has no such export. */
export async function markHandedOver(prisma: PrismaClient, shopId: string, id: bigint): Promise<Date | null> {
  await prisma.dataRequestExport.updateMany({
    where: { id, shopId, handedOverAt: null },
    data: { handedOverAt: new Date() },
  });
  const row = await prisma.dataRequestExport.findFirst({ where: { id, shopId }, select: { handedOverAt: true } });
  return row?.handedOverAt ?? null;
}
