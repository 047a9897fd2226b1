import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/react";

// Shopify opens the app at its URL with ?shop=…; the embedded admin lives under /app.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return new Response("Cadence is a Shopify app: install it from the Shopify admin.", {
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
};
