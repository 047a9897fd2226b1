import type { LoaderFunctionArgs } from "@remix-run/node";
import { config } from "~/config.server";
import { database } from "~/db.server";
import { mintSessionToken } from "~/dev-shell/session-token";

// Only for shops that exist in this database, and only with the dev shell on (never in production).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { devShell, apiKey, apiSecret } = config();
  if (!devShell) throw new Response("Not found", { status: 404 });
  const shop = new URL(request.url).searchParams.get("shop") ?? "";
  const known = shop
    ? await database().prisma.shop.findUnique({ where: { domain: shop }, select: { id: true } })
    : null;
  if (!known) return Response.json({ error: "unknown shop" }, { status: 404 });
  return Response.json(
    { token: await mintSessionToken({ shop, apiKey, apiSecret }) },
    { headers: { "Cache-Control": "no-store" } },
  );
};
