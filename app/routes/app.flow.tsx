import { authenticatedShop } from "~/admin-request.server";
import { SectionCard } from "~/admin-ui/section-card";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  List,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { z } from "zod";
import { count, countOf, dateTime } from "~/admin-ui/format";
import { RouteErrorPage } from "~/admin-ui/route-error";
import { config } from "~/config.server";
import { database } from "~/db.server";
import { flowOverview } from "~/publish/flow/activity.server";
import { HOLD_ABOVE_LIMITS, HOLD_SHARE } from "~/publish/flow/hold-rules";
import { decideHold, decideUnconfirmed, FlowControlError, setHoldAbove } from "~/publish/flow/holds.server";
import { TRIGGER_KINDS, TRIGGERS } from "~/publish/flow/triggers";
import { readAdminForm } from "~/request-body/read";

// Shopify Flow: the triggers Cadence sends and what happened to each, the moves held for the merchant and the
// triggers that may not have reached Flow, with the merchant's controls. Sending itself is background work
// (app/jobs/flow-jobs.ts, every minute).

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await authenticatedShop(request);
  return { overview: await flowOverview(database().sql, shop.id, { limit: 100 }), demo: config().devShell };
};

const controls = z.discriminatedUnion("intent", [
  z.object({
    intent: z.enum(["send-hold", "discard-hold"]),
    holdId: z.string().regex(/^\d{1,18}$/, "Choose a held move."),
  }),
  z.object({ intent: z.enum(["send-unconfirmed", "discard-unconfirmed"]) }),
  z.object({
    intent: z.literal("hold-above"),
    holdAbove: z.coerce
      .number({ error: "Enter a number of customers." })
      .int({ error: "Enter a whole number of customers." })
      .min(HOLD_ABOVE_LIMITS.min, { error: `Enter at least ${HOLD_ABOVE_LIMITS.min} customers.` })
      .max(HOLD_ABOVE_LIMITS.max, { error: `Enter at most ${count(HOLD_ABOVE_LIMITS.max)} customers.` }),
  }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const parsed = controls.safeParse(Object.fromEntries(await readAdminForm(request)));
  if (!parsed.success) {
    const errors = Object.fromEntries(
      parsed.error.issues.map((issue) => [
        String(issue.path[0] ?? "form"),
        issue.path[0] === "intent" ? "Choose what to do." : issue.message,
      ]),
    );
    return Response.json({ errors }, { status: 400 });
  }
  const sql = database().sql;
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "send-hold":
        return {
          saved: `${countOf(
            await decideHold(sql, shop.id, input.holdId, "send"),
            "trigger",
          )} will be sent to Flow within a few minutes`,
        };
      case "discard-hold":
        return {
          saved: `${countOf(await decideHold(sql, shop.id, input.holdId, "discard"), "trigger")} will not be sent`,
        };
      case "send-unconfirmed":
        return { saved: `${countOf(await decideUnconfirmed(sql, shop.id, "send"), "trigger")} will be sent again` };
      case "discard-unconfirmed":
        return { saved: `${countOf(await decideUnconfirmed(sql, shop.id, "discard"), "trigger")} marked as not sent` };
      case "hold-above":
        await setHoldAbove(sql, shop.id, input.holdAbove);
        return { saved: "Saved" };
    }
  } catch (error) {
    if (error instanceof FlowControlError) return Response.json({ errors: { form: error.message } }, { status: 409 });
    throw error;
  }
};

type ActionResult = { saved?: string; errors?: Record<string, string> };

export default function FlowPage() {
  const { overview, demo } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const navigation = useNavigation();
  const [holdAbove, setHoldAboveValue] = useState(String(overview.holdAbove));
  useEffect(() => {
    if (result?.saved) window.shopify?.toast.show(result.saved);
  }, [result]);
  const busy = navigation.state !== "idle";
  return (
    <Page
      title="Shopify Flow"
      subtitle="Tier changes and segment moves as Flow triggers, and the Set loyalty tier action"
      backAction={{ content: "Dashboard", url: "/app" }}
    >
      <Layout>
        {demo ? (
          <Layout.Section>
            <Banner tone="info" title="This demo shop has no Shopify store">
              <Text as="p">Each trigger is recorded here with what it would send to Flow; nothing is sent.</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        {result?.errors?.form ? (
          <Layout.Section>
            <Banner tone="critical">
              <Text as="p">{result.errors.form}</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        {overview.holds.map((hold) => (
          <Layout.Section key={hold.id}>
            <Banner tone="warning" title={`Held: ${hold.label}, ${countOf(hold.customers, "customer")}`}>
              <BlockStack gap="200">
                <Text as="p">
                  {`So many customers made this move at once (${dateTime(
                    hold.createdAt,
                  )}) that Cadence waits for you before starting your workflows for each of them: a program change, a new segment or new thresholds usually cause it.`}
                </Text>
                <InlineStack gap="200">
                  <Form method="post">
                    <input type="hidden" name="intent" value="send-hold" />
                    <input type="hidden" name="holdId" value={hold.id} />
                    <Button submit variant="primary" disabled={busy}>
                      Send to Flow
                    </Button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="discard-hold" />
                    <input type="hidden" name="holdId" value={hold.id} />
                    <Button submit disabled={busy}>
                      Don&apos;t send
                    </Button>
                  </Form>
                </InlineStack>
              </BlockStack>
            </Banner>
          </Layout.Section>
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
          <Layout.Section>
            <Banner tone="warning" title={`${countOf(overview.unconfirmed, "trigger")} may not have reached Flow`}>
              <BlockStack gap="200">
                <Text as="p">
                  Cadence stopped, or lost Shopify&apos;s answer, while sending them. Flow may already have run your
                  workflows for them: sending them again could run them twice.
                </Text>
                <InlineStack gap="200">
                  <Form method="post">
                    <input type="hidden" name="intent" value="send-unconfirmed" />
                    <Button submit disabled={busy}>
                      Send again
                    </Button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="discard-unconfirmed" />
                    <Button submit variant="plain" disabled={busy}>
                      Leave them
                    </Button>
                  </Form>
                </InlineStack>
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <SectionCard title="Triggers">
            <Text as="p">
              {overview.liveSince
                ? `Sending since ${dateTime(
                    overview.liveSince,
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
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Form method="post">
              <BlockStack gap="200">
                <input type="hidden" name="intent" value="hold-above" />
                <Text as="h2" variant="headingMd">
                  Mass moves
                </Text>
                <InlineStack gap="200" blockAlign="end">
                  <TextField
                    label="Hold a move for review when it involves more than"
                    name="holdAbove"
                    value={holdAbove}
                    onChange={setHoldAboveValue}
                    suffix="customers"
                    inputMode="numeric"
                    autoComplete="off"
                    error={result?.errors?.holdAbove}
                    helpText={`Or more than ${Math.round(
                      HOLD_SHARE * 100,
                    )}% of your customers, if that is larger. A move is one tier change (for example Gold to Silver), or entering or leaving one segment.`}
                  />
                  <Button submit disabled={busy}>
                    Save
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Flow activity
                </Text>
                {overview.counts.sent ? <Badge tone="success">{`${count(overview.counts.sent)} sent`}</Badge> : null}
                {overview.counts.recorded ? <Badge>{`${count(overview.counts.recorded)} recorded`}</Badge> : null}
                {overview.counts.pending + overview.counts.new ? (
                  <Badge tone="info">{`${count(overview.counts.pending + overview.counts.new)} waiting`}</Badge>
                ) : null}
                {overview.counts.refused ? (
                  <Badge tone="critical">{`${count(overview.counts.refused)} refused`}</Badge>
                ) : null}
              </InlineStack>
              {overview.recent.length ? (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "text"]}
                  headings={["When", "Trigger", "Customer", "What", "Status"]}
                  rows={overview.recent.map((row) => [
                    dateTime(row.createdAt),
                    row.trigger,
                    <Link key={row.id} to={`/app/customers/${row.customerId}`}>
                      {row.customerId}
                    </Link>,
                    row.description,
                    row.error ? `${row.stateLabel}: ${row.error}` : row.stateLabel,
                  ])}
                />
              ) : (
                <Text as="p" tone="subdued">
                  No trigger yet. A customer&apos;s tier change or segment move after the first full pass appears here.
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Shopify Flow" />;
}
