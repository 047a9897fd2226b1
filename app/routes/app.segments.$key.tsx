import { authenticatedShop } from "~/admin-request.server";
import { SectionCard } from "~/admin-ui/section-card";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { MEMBER_SORTS, memberPage, MemberQueryError, memberQuerySchema } from "~/admin-data/members.server";
import { nativeSegmentStatus } from "~/admin-data/native-segment-status";
import { segmentDetail } from "~/admin-data/segments.server";
import { count, countOf, date, money, percent } from "~/admin-ui/format";
import { NATIVE_SEGMENT_INTENTS, NativeSegmentCard } from "~/admin-ui/segments/native-segment-card";
import { LIFECYCLE_NAMES } from "~/segments/lifecycle/stage";
import type { LifecycleStage } from "~/segments/lifecycle/stage";
import { RouteErrorPage } from "~/admin-ui/route-error";
import { database } from "~/db.server";
import { requestNativeSegmentSync } from "~/jobs/native-segment-follow-ups.server";
import { nativeSegmentRecord } from "~/publish/native-segments/records.server";
import { readAdminForm } from "~/request-body/read";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const segment = await segmentDetail(database().prisma, shop.id, params.key ?? "");
  if (!segment) throw new Response(`This shop has no segment "${params.key}".`, { status: 404 });
  const parsed = memberQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    const search = parsed.error.issues.some((issue) => issue.path[0] === "search");
    throw new Response(
      search
        ? "Search by customer ID: digits only, or the gid://shopify/Customer/… form."
        : "This page's address asks for a sort or a page the members table does not have; open the segment again from Segments.",
      { status: 400 },
    );
  }
  try {
    const page = await memberPage(database().prisma, shop.id, segment.ref, parsed.data, undefined, segment.customers);
    const inShopify = nativeSegmentStatus(
      await nativeSegmentRecord(database().prisma, shop.id, segment.key),
      shop.domain,
    );
    return { currency: shop.currencyCode, segment, query: parsed.data, page, inShopify };
  } catch (error) {
    if (error instanceof MemberQueryError) throw new Response(error.message, { status: 400 });
    throw error;
  }
};

// "Use in Shopify", "Stop using in Shopify" and Retry: the request is stored and a job brings Shopify in line.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const shop = await authenticatedShop(request);
  const segment = await segmentDetail(database().prisma, shop.id, params.key ?? "");
  if (!segment) throw new Response(`This shop has no segment "${params.key}".`, { status: 404 });
  const intent = (await readAdminForm(request)).get("intent");
  const record = await nativeSegmentRecord(database().prisma, shop.id, segment.key);
  const enabled =
    intent === NATIVE_SEGMENT_INTENTS.turn_on
      ? true
      : intent === NATIVE_SEGMENT_INTENTS.turn_off
        ? false
        : intent === NATIVE_SEGMENT_INTENTS.retry && record
          ? record.enabled
          : null;
  if (enabled === null)
    return Response.json(
      { ok: false, message: "Choose Use in Shopify, Stop using in Shopify, or Retry." },
      { status: 400 },
    );
  await requestNativeSegmentSync(database().prisma, shop.id, segment.key, enabled);
  return Response.json({
    ok: true,
    message: enabled ? "Cadence is creating the segment in Shopify" : "Cadence is removing the segment from Shopify",
  });
};

const COLUMNS: { sort: keyof typeof MEMBER_SORTS | null; title: string }[] = [
  { sort: "customer", title: "Customer ID" },
  { sort: "orders", title: "Orders" },
  { sort: "netSpend", title: "Net spend" },
  { sort: "lastOrder", title: "Last order" },
  { sort: "clv", title: "12-month value" },
  { sort: null, title: "Tier" },
  { sort: null, title: "Lifecycle stage" },
];

async function downloadCsv(key: string, setState: (state: string) => void) {
  // The session token rides on fetch (App Bridge adds it), not on a plain link, so the file comes through fetch.
  setState("Preparing…");
  const response = await fetch(`/app/segment-export/${encodeURIComponent(key)}`);
  if (!response.ok) return setState(`Export failed (${response.status})`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `${key.replace(/[^a-z0-9_-]+/gi, "-")}.csv`;
  link.click();
  URL.revokeObjectURL(url);
  setState("");
}

export default function SegmentPage() {
  const { currency, segment, query, page, inShopify } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const [exportState, setExportState] = useState("");
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const name of ["after", "before"]) next.delete(name);
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) next.delete(name);
      else next.set(name, value);
    }
    return `?${next.toString()}`;
  };
  const sortLink = (sort: string) =>
    withParams({ sort, direction: query.sort === sort && query.direction === "desc" ? "asc" : "desc" });
  return (
    <Page
      title={segment.name}
      subtitle={`${countOf(segment.customers, "customer")} (${percent(
        segment.shareOfCustomers,
        1,
      )} of customers) · ${money(segment.netSpendMinor, currency)} net spend`}
      backAction={{ content: "Segments", url: "/app/segments" }}
      secondaryActions={[
        {
          content: exportState || "Export CSV",
          onAction: () => void downloadCsv(segment.key, setExportState),
          disabled: Boolean(exportState),
        },
        ...(segment.group === "custom"
          ? [{ content: "Edit rule", url: `/app/segments/new?key=${encodeURIComponent(segment.key)}` }]
          : []),
      ]}
    >
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="100">
              <Text as="p">{segment.family}</Text>
              {segment.description ? <Text as="p">Rule: {segment.description}</Text> : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <NativeSegmentCard status={inShopify} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Form method="get">
                <InlineStack gap="200" blockAlign="end">
                  <SearchField initial={query.search ?? ""} />
                  <input type="hidden" name="sort" value={query.sort} />
                  <input type="hidden" name="direction" value={query.direction} />
                  <Button submit>Search</Button>
                </InlineStack>
              </Form>
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "text", "numeric", "text", "text"]}
                headings={COLUMNS.map((column) =>
                  column.sort ? (
                    <Link key={column.title} to={sortLink(column.sort)} aria-label={`Sort by ${column.title}`}>
                      {column.title}
                      {query.sort === column.sort ? (query.direction === "desc" ? " ↓" : " ↑") : ""}
                    </Link>
                  ) : (
                    column.title
                  ),
                )}
                rows={page.members.map((member) => [
                  <Link key={member.customerId} to={`/app/customers/${member.customerId}`}>
                    {member.customerId}
                  </Link>,
                  count(member.orders),
                  money(member.netSpendMinor, currency),
                  date(member.lastOrderOn),
                  money(member.clv12mMinor, currency),
                  member.tierName ?? "—",
                  LIFECYCLE_NAMES[member.lifecycle as LifecycleStage] ?? member.lifecycle,
                ])}
                footerContent={query.search ? countOf(page.total, "matching member") : countOf(page.total, "member")}
              />
              {page.members.length === 0 ? (
                <Text as="p">
                  {query.search
                    ? "No member's customer ID starts with that."
                    : "This segment has no members right now."}
                </Text>
              ) : null}
              <ButtonGroup>
                <Button
                  url={page.previous ? withParams({ before: page.previous }) : undefined}
                  disabled={!page.previous}
                  accessibilityLabel="Previous page"
                >
                  Previous
                </Button>
                <Button
                  url={page.next ? withParams({ after: page.next }) : undefined}
                  disabled={!page.next}
                  accessibilityLabel="Next page"
                >
                  Next
                </Button>
              </ButtonGroup>
            </BlockStack>
          </Card>
        </Layout.Section>
        {segment.weekly.length ? (
          <Layout.Section>
            <SectionCard title="In and out, by week">
              {segment.baselineAt ? (
                <Text as="p" tone="subdued">
                  {`Counted from ${date(
                    segment.baselineAt,
                  )}, when your order history had been imported: the import placing customers is not counted as movement.`}
                </Text>
              ) : null}
              <DataTable
                columnContentTypes={["text", "numeric", "numeric"]}
                headings={["Week of", "Entered", "Left"]}
                rows={segment.weekly.map((week) => [date(week.week), count(week.entered), count(week.exited)])}
              />
            </SectionCard>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}

function SearchField({ initial }: { initial: string }) {
  const [value, setValue] = useState(initial);
  return (
    <TextField
      label="Search by customer ID"
      name="search"
      value={value}
      onChange={setValue}
      autoComplete="off"
      inputMode="numeric"
    />
  );
}

export function ErrorBoundary() {
  return <RouteErrorPage title="Segment" />;
}
