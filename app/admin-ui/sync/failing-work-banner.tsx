import { Banner, BlockStack, List, Text } from "@shopify/polaris";
import type { SyncStatus } from "~/ingest/sync-status";
import { count, dateTime } from "../format";

// The sync page's warning that some background work for the shop keeps failing, each with how long and why.

export function FailingWorkBanner({ work }: { work: SyncStatus["failingWork"] }) {
  return (
    <Banner tone="critical" title="Some of Cadence's work for your shop is failing">
      <BlockStack gap="200">
        <Text as="p">Cadence tries again automatically. Your other data keeps syncing.</Text>
        <List>
          {work.map((item) => (
            <List.Item key={item.job}>
              {`${item.label}: failed ${count(item.failures)} ${
                item.failures === 1 ? "time" : "times in a row"
              } since ${dateTime(item.failingSince)}; last tried ${dateTime(item.lastRunAt)}.`}
              {item.error ? <Text as="span" tone="subdued">{` Details for support: ${item.error}`}</Text> : null}
            </List.Item>
          ))}
        </List>
      </BlockStack>
    </Banner>
  );
}
