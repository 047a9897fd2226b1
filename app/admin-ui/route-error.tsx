import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Layout, Page, Text } from "@shopify/polaris";

// A page's loader refused the request (a bad query, a customer or segment this shop does not have): say why in a
// Polaris banner inside the app's frame, instead of Remix's bare error page.
export function RouteErrorPage({ title }: { title: string }) {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error)
    ? String(error.data)
    : "Something went wrong on our side. Try again in a moment.";
  return (
    <Page title={title} backAction={{ content: "Dashboard", url: "/app" }}>
      <Layout>
        <Layout.Section>
          <Banner
            tone="critical"
            title={status === 404 ? "Not found" : status < 500 ? "That request could not be served" : "Error"}
          >
            <Text as="p">{message}</Text>
          </Banner>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
