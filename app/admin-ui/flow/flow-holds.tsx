import { Form } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack, Layout, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import type { FlowOverview } from "~/publish/flow/activity.server";
import { count, countOf, dateTime } from "../format";

// What waits on the merchant on the Flow page: each mass move held for review, the held moves now being sent, and
// the triggers that may not have reached Flow. The buttons post their intent to the Flow route's action.

export function FlowHolds({ overview, busy }: { overview: FlowOverview; busy: boolean }) {
  return (
    <>
      {overview.holds.map((hold) => (
        <Decision
          key={hold.id}
          title={`Held: ${hold.label}, ${countOf(hold.customers, "customer")}`}
          send={
            <IntentButton intent="send-hold" holdId={hold.id} variant="primary" busy={busy}>
              Send to Flow
            </IntentButton>
          }
          leave={
            <IntentButton intent="discard-hold" holdId={hold.id} busy={busy}>
              Don&apos;t send
            </IntentButton>
          }
        >
          {`So many customers made this move at once (${dateTime(
            hold.createdAt,
          )}) that Cadence waits for you before starting your workflows for each of them: a program change, a new segment or new thresholds usually cause it.`}
        </Decision>
      ))}
      {overview.releasing.map((hold) => (
        <Layout.Section key={hold.id}>
          <Banner tone="info" title={`Sending: ${hold.label}`}>
            <Text as="p">{`${count(hold.customers - hold.waiting)} of ${count(
              hold.customers,
            )} sent; Shopify takes about 10 a second on the Standard plan, more on larger plans.`}</Text>
          </Banner>
        </Layout.Section>
      ))}
      {overview.unconfirmed ? (
        <Decision
          title={`${countOf(overview.unconfirmed, "trigger")} may not have reached Flow`}
          send={
            <IntentButton intent="send-unconfirmed" busy={busy}>
              Send again
            </IntentButton>
          }
          leave={
            <IntentButton intent="discard-unconfirmed" variant="plain" busy={busy}>
              Leave them
            </IntentButton>
          }
        >
          Cadence stopped, or lost Shopify&apos;s answer, while sending them. Flow may already have run your workflows
          for them: sending them again could run them twice.
        </Decision>
      ) : null}
    </>
  );
}

/** A warning with what happened and the two ways out, in its own layout section. */
function Decision({
  title,
  send,
  leave,
  children,
}: {
  title: string;
  send: ReactNode;
  leave: ReactNode;
  children: ReactNode;
}) {
  return (
    <Layout.Section>
      <Banner tone="warning" title={title}>
        <BlockStack gap="200">
          <Text as="p">{children}</Text>
          <InlineStack gap="200">
            {send}
            {leave}
          </InlineStack>
        </BlockStack>
      </Banner>
    </Layout.Section>
  );
}

function IntentButton({
  intent,
  holdId,
  variant,
  busy,
  children,
}: {
  intent: string;
  holdId?: string;
  variant?: "primary" | "plain";
  busy: boolean;
  children: string;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {holdId ? <input type="hidden" name="holdId" value={holdId} /> : null}
      <Button submit variant={variant} disabled={busy}>
        {children}
      </Button>
    </Form>
  );
}
