import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { config } from "~/config.server";
import { database } from "~/db.server";
import { adminHostParam, mintSessionToken } from "~/dev-shell/session-token";

// Opens the embedded admin the way Shopify's admin would: with shop, host and a signed id_token in the URL.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { devShell, apiKey, apiSecret } = config();
  if (!devShell) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop") ?? "";
  const known = shop
    ? await database().prisma.shop.findUnique({ where: { domain: shop }, select: { id: true } })
    : null;
  if (!known) throw new Response(`Unknown shop "${shop}". Start the demo with --shop to create it.`, { status: 404 });
  const path = url.searchParams.get("path") ?? "/app";
  if (!path.startsWith("/app")) throw new Response("path must be an admin page under /app", { status: 400 });
  // An hour, not a minute: a reload re-uses the token in the URL, and there is no admin here to issue another.
  const token = await mintSessionToken({ shop, apiKey, apiSecret, lifetimeSeconds: 3600 });
  // The page's own query (a segment to edit, an audience to preselect) is kept beside the shell's parameters.
  const target = new URL(path, "http://shell.invalid");
  for (const [name, value] of Object.entries({ embedded: "1", shop, host: adminHostParam(shop), id_token: token }))
    target.searchParams.set(name, value);
  throw redirect(`${target.pathname}${target.search}`);
};
