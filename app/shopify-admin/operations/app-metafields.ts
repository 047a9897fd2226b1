// The app's own customer metafield definitions, for the namespace Shopify resolved `$app` to (`app--{app id}`):
// segment queries name a metafield by its full namespace (app/publish/discounts/shopifyql.ts).
import { defineOperation } from "../operation";

export const APP_CUSTOMER_METAFIELD_DEFINITIONS = defineOperation<{
  metafieldDefinitions: { nodes: Array<{ namespace: string; key: string }> };
}>(
  `query AppCustomerMetafieldDefinitions {
  metafieldDefinitions(first: 50, ownerType: CUSTOMER, namespace: "$app") {
    nodes { namespace key }
  }
}`,
  { estimatedCost: 3 },
);
