import { authenticatedShop } from "~/admin-request.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { dataRequestExport, markHandedOver, parseExportId } from "~/admin-data/data-requests.server";
import { database } from "~/db.server";

// One customers/data_request export: GET downloads its JSON (to hand to the customer), POST records that it was
// handed over. Listed in Settings › Privacy.

async function exportOf(request: Request, idText: string | undefined) {
  const shop = await authenticatedShop(request);
  const id = parseExportId(idText ?? "");
  if (id === null) throw new Response(`"${idText ?? ""}" is not a data request export number.`, { status: 400 });
  return { shop, id };
}

const notFound = (id: bigint) =>
  new Response(`This shop has no data request export ${id} (exports are deleted after their retention period).`, {
    status: 404,
  });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, id } = await exportOf(request, params.id);
  const found = await dataRequestExport(database().prisma, shop.id, id);
  if (!found) throw notFound(id);
  return new Response(JSON.stringify(found.data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="cadence-data-request-${found.requestId.replace(
        /[^a-z0-9_-]+/gi,
        "-",
      )}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST")
    throw new Response("Use POST to mark an export as handed over.", { status: 405, headers: { Allow: "POST" } });
  const { shop, id } = await exportOf(request, params.id);
  const handedOverAt = await markHandedOver(database().prisma, shop.id, id);
  if (!handedOverAt) throw notFound(id);
  return { handedOverAt: handedOverAt.toISOString() };
};
