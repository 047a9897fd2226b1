import { List, Text } from "@shopify/polaris";
import { TRIGGER_KINDS, TRIGGERS } from "~/publish/flow/triggers";
import { dateTime } from "../format";
import { SectionCard } from "../section-card";

// The Flow page's list of the triggers Cadence sends, and since when it sends them (the first full segment pass's
// end: the tiers and segments customers start with never run a workflow).

export function FlowTriggersCard({ liveSince }: { liveSince: string | null }) {
  return (
    <SectionCard title="Triggers">
      <Text as="p">
        {liveSince
          ? `Sending since ${dateTime(
              liveSince,
            )}, the end of your first full segment pass. The tiers and segments customers started with were not sent.`
          : "Not sending yet: triggers start when the first full segment pass ends, so the tiers and segments customers start with do not run your workflows."}
      </Text>
      <List>
        {TRIGGER_KINDS.map((kind) => (
          <List.Item key={kind}>{`${TRIGGERS[kind].name}: ${TRIGGERS[kind].description}`}</List.Item>
        ))}
      </List>
      <Text as="p" tone="subdued">
        Build workflows with them in Shopify Flow; the &quot;Set loyalty tier&quot; action sets a tier from any
        workflow. Cadence&apos;s Shopify Flow guide has workflows to copy.
      </Text>
    </SectionCard>
  );
}
