import { authenticatedShop } from "~/admin-request.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { segmentCsvStream } from "~/admin-data/segment-csv.server";
import { parseSegmentKey } from "~/segments/segment-key";
import { segmentDetail } from "~/admin-data/segments.server";
import { database } from "~/db.server";

// A segment's members as a CSV download, streamed from the database a page at a time.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const key = params.key ?? "";
  const ref = parseSegmentKey(key);
  if (!ref || !(await segmentDetail(database().prisma, shop.id, key)))
    throw new Response(`This shop has no segment "${key}".`, { status: 404 });
  return new Response(segmentCsvStream(database().prisma, shop, ref), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${key.replace(/[^a-z0-9_-]+/gi, "-")}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
};
