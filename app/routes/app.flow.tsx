import { authenticatedShop } from "~/admin-request.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, Layout, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";
import { FlowActivityCard } from "~/admin-ui/flow/flow-activity-card";
import { FlowHoldAboveForm } from "~/admin-ui/flow/flow-hold-above-form";
import { FlowHolds } from "~/admin-ui/flow/flow-holds";
import { FlowTriggersCard } from "~/admin-ui/flow/flow-triggers-card";
import { count, countOf } from "~/admin-ui/format";
import { RouteErrorPage } from "~/admin-ui/route-error";
import { config } from "~/config.server";
import { database } from "~/db.server";
import { flowOverview } from "~/publish/flow/activity.server";
import { HOLD_ABOVE_LIMITS } from "~/publish/flow/hold-rules";
import { decideHold, decideUnconfirmed, FlowControlError, setHoldAbove } from "~/publish/flow/holds.server";
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
        <FlowHolds overview={overview} busy={busy} />
        <Layout.Section>
          <FlowTriggersCard liveSince={overview.liveSince} />
        </Layout.Section>
        <Layout.Section>
          <FlowHoldAboveForm holdAbove={overview.holdAbove} error={result?.errors?.holdAbove} busy={busy} />
        </Layout.Section>
        <Layout.Section>
          <FlowActivityCard counts={overview.counts} recent={overview.recent} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Shopify Flow" />;
}
