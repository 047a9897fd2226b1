import { BlockStack, Card, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

/** A card with a heading (and an optional line under it), the admin's one way to head a section. */
export function SectionCard({
  title,
  subtitle,
  gap = "300",
  children,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  /** Space between the heading and what follows: "200" for a card that holds one short result. */
  gap?: "200" | "300" | "400";
  children?: ReactNode;
}) {
  return (
    <Card>
      <BlockStack gap={gap}>
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        <FinePrint>{subtitle}</FinePrint>
        {children}
      </BlockStack>
    </Card>
  );
}

/** A line of secondary text under a heading or a figure; nothing when there is none. */
export function FinePrint({ children }: { children?: ReactNode }) {
  if (!children) return null;
  return (
    <Text as="p" variant="bodySm" tone="subdued">
      {children}
    </Text>
  );
}
