import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { config } from "~/config.server";
import { DEV_APP_BRIDGE_PATH } from "~/dev-shell/paths";
import { authenticate } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const { apiKey, devShell } = config();
  // Outside Shopify's admin (the local demo) a stand-in plays App Bridge; see app/dev-shell.
  return { apiKey, appBridgeUrl: devShell ? DEV_APP_BRIDGE_PATH : undefined };
};

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Dashboard
        </Link>
        <Link to="/app/segments">Segments</Link>
        <Link to="/app/loyalty">Loyalty tiers</Link>
        <Link to="/app/offers">Offers</Link>
        <Link to="/app/flow">Shopify Flow</Link>
        <Link to="/app/sync">Sync status</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs these so its admin can re-authenticate and frame the app.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
