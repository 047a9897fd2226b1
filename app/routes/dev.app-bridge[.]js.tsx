import type { LoaderFunctionArgs } from "@remix-run/node";
import { config } from "~/config.server";
import { appBridgeStandInScript } from "~/dev-shell/app-bridge-stand-in";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  if (!config().devShell) throw new Response("Not found", { status: 404 });
  const referer = request.headers.get("referer");
  const shop = referer ? (new URL(referer).searchParams.get("shop") ?? "") : "";
  return new Response(appBridgeStandInScript(shop), {
    headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" },
  });
};
