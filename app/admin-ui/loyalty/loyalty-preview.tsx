import { BlockStack, List, Text } from "@shopify/polaris";
import type { PreviewResult } from "~/admin-data/loyalty-form";

// The tiers editor's preview of a change: a sentence, then each tier's count before → after (lowest tier first),
// then every move with its day.

export function LoyaltyPreview({ preview }: { preview: PreviewResult }) {
  return (
    <BlockStack gap="200">
      <Text as="p">{preview.summary}</Text>
      <Text as="h3" variant="headingSm">
        By tier
      </Text>
      <List>
        {preview.tiers.map((tier) => (
          <List.Item key={tier.tierId ?? "none"}>{tier.line}</List.Item>
        ))}
      </List>
      {preview.moves.length ? (
        <>
          <Text as="h3" variant="headingSm">
            Moves
          </Text>
          <List>
            {preview.moves.map((move) => (
              <List.Item key={move}>{move}</List.Item>
            ))}
          </List>
        </>
      ) : null}
    </BlockStack>
  );
}
