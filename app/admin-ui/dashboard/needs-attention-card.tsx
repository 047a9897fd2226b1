import { Badge, Button, InlineStack, Text } from "@shopify/polaris";
import type { AttentionItem } from "~/admin-data/needs-attention";
import { SectionCard } from "../section-card";

// The dashboard's suggestions (app/admin-data/needs-attention.ts), most urgent first, each with the page that acts
// on it; or what Cadence watches for when there is none.

const URGENCY = { critical: "Urgent", warning: "Soon", info: "Idea" } as const;

export function NeedsAttentionCard({ items, noOrders }: { items: AttentionItem[]; noOrders: boolean }) {
  return (
    <SectionCard title="Needs attention">
      {items.length ? (
        items.map((item) => (
          <InlineStack key={item.id} gap="300" align="space-between" blockAlign="center" wrap={false}>
            <InlineStack gap="200" blockAlign="center" wrap={false}>
              <Badge tone={item.tone}>{URGENCY[item.tone]}</Badge>
              <Text as="p">{item.text}</Text>
            </InlineStack>
            <Button url={item.action.url} accessibilityLabel={`${item.action.label}: ${item.text}`}>
              {item.action.label}
            </Button>
          </InlineStack>
        ))
      ) : (
        <Text as="p" tone="subdued">
          {noOrders
            ? "Nothing yet: suggestions appear once your orders have been synced."
            : "Nothing needs your attention right now. Cadence watches for high-value customers at risk, tiers whose repeat rate falls, offers doing worse than none, upcoming anniversaries and recent refunds."}
        </Text>
      )}
    </SectionCard>
  );
}
