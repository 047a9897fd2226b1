import { Card, EmptyState } from "@shopify/polaris";

// The dashboard before the first order is synced: what will appear, and where to see the sync.

const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226"><circle cx="113" cy="113" r="90" fill="#e3f1df"/><rect x="63" y="120" width="20" height="40" rx="4" fill="#008060"/><rect x="103" y="95" width="20" height="65" rx="4" fill="#008060"/><rect x="143" y="70" width="20" height="90" rx="4" fill="#008060"/></svg>',
)}`;

export function NoOrdersCard() {
  return (
    <Card>
      <EmptyState heading="No orders yet" image={EMPTY_IMAGE} action={{ content: "See sync status", url: "/app/sync" }}>
        <p>
          Cadence builds its figures and segments from your orders. Repeat rate, retention, tiers and segments appear
          here as soon as the first orders are synced.
        </p>
      </EmptyState>
    </Card>
  );
}
