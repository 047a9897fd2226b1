import { readFile } from "node:fs/promises";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { config } from "~/config.server";
import { EXTENSION_ROOT } from "~/storefront-preview/extension-root";

// The extension's own script and stylesheet for the storefront preview, as Shopify's CDN serves them to a shop.
const TYPES: Record<string, string> = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8" };

export const loader = async ({ params }: LoaderFunctionArgs) => {
  if (!config().devShell) throw new Response("Not found", { status: 404 });
  const file = path.basename(params.file ?? "");
  const type = TYPES[path.extname(file)];
  if (!type) throw new Response("Not found", { status: 404 });
  const body = await readFile(path.join(EXTENSION_ROOT, "assets", file)).catch(() => null);
  if (!body) throw new Response("Not found", { status: 404 });
  return new Response(body, { headers: { "Content-Type": type, "Cache-Control": "no-cache" } });
};
