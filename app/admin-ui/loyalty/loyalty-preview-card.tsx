import { Text } from "@shopify/polaris";
import type { PreviewResult } from "~/admin-data/loyalty-form";
import { LiveResultCard } from "../live-result-card";
import { LoyaltyPreview } from "./loyalty-preview";

// What saving the tiers editor's draft would do, announced to screen readers as it changes: the preview once there
// is one, and nothing to count while a keep threshold is above its enter threshold (the server would refuse it).

export function LoyaltyPreviewCard({ preview, blocked }: { preview: PreviewResult | null; blocked: boolean }) {
  return (
    <LiveResultCard title="What saving would do">
      {blocked ? (
        <Text as="p" tone="subdued">
          A keep threshold is above its enter threshold: lower it (or raise Enter at) to see who would move.
        </Text>
      ) : preview ? (
        <LoyaltyPreview preview={preview} />
      ) : (
        <Text as="p" tone="subdued">
          Change a threshold to see how many customers would move before you save.
        </Text>
      )}
    </LiveResultCard>
  );
}
