import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DataTable, InlineStack, Link, Text } from "@shopify/polaris";
import { useState } from "react";
import type { DataRequestRow } from "~/admin-data/data-requests.server";
import { DATA_REQUEST_KEEP_AFTER_HANDOVER_DAYS, DATA_REQUEST_KEEP_DAYS } from "~/retention/limits";

// Settings › Privacy: customers' data requests, each with its JSON to download and hand to the customer, and a way to
// record that it was handed over (the export is then deleted after a while: app/retention/limits.ts).

const day = (iso: string) =>
  new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

async function download(id: string, requestId: string, setState: (state: string) => void) {
  // The session token rides on fetch (App Bridge adds it), not on a plain link, so the file comes through fetch.
  setState("Preparing…");
  const response = await fetch(`/app/data-requests/${id}`);
  if (!response.ok) return setState(`Download failed (${response.status})`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `cadence-data-request-${requestId.replace(/[^a-z0-9_-]+/gi, "-")}.json`;
  link.click();
  URL.revokeObjectURL(url);
  setState("");
}

/** The hand-over's answer, shared by a row's status and its button (the page is not reloaded for it: see the route). */
function useHandOver(request: DataRequestRow) {
  const fetcher = useFetcher<{ handedOverAt: string }>({ key: `data-request-${request.id ?? request.requestId}` });
  return { fetcher, handedOverAt: request.handedOverAt ?? fetcher.data?.handedOverAt ?? null };
}

function Actions({ request }: { request: DataRequestRow }) {
  const { fetcher, handedOverAt: handedOver } = useHandOver(request);
  const [state, setState] = useState("");
  if (!request.id)
    return (
      <Text as="span" tone="subdued">
        Available once prepared
      </Text>
    );
  const id = request.id;
  return (
    <InlineStack gap="200" blockAlign="center">
      <Button
        onClick={() => void download(id, request.requestId, setState)}
        accessibilityLabel={`Download the data of request ${request.requestId} as JSON`}
      >
        Download JSON
      </Button>
      <Button
        disabled={handedOver !== null}
        loading={fetcher.state !== "idle"}
        onClick={() => fetcher.submit(null, { method: "post", action: `/app/data-requests/${id}` })}
        accessibilityLabel={`Mark request ${request.requestId} as handed over`}
      >
        {handedOver ? "Handed over" : "Mark as handed over"}
      </Button>
      {state ? <Text as="span">{state}</Text> : null}
    </InlineStack>
  );
}

function Status({ request }: { request: DataRequestRow }) {
  const { handedOverAt } = useHandOver(request);
  if (!request.readyAt) return <Badge tone="info">Being prepared</Badge>;
  if (handedOverAt) return <Badge tone="success">{`Handed over ${day(handedOverAt)}`}</Badge>;
  return <Badge tone="attention">Ready to hand over</Badge>;
}

export function DataRequestsList({ requests }: { requests: DataRequestRow[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h3" variant="headingSm">
          Customer data requests
        </Text>
        <Text as="p" tone="subdued">
          {`When a customer asks for their data, Shopify tells Cadence and Cadence prepares everything it stores about them as a JSON file. Download it, send it to the customer, then mark it as handed over. Files are deleted ${DATA_REQUEST_KEEP_AFTER_HANDOVER_DAYS} days after being handed over, and ${DATA_REQUEST_KEEP_DAYS} days after they were prepared in any case.`}
        </Text>
        {requests.length === 0 ? (
          <Text as="p">No customer has asked for their data.</Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric", "text", "text"]}
            headings={["Request", "Customer", "Received", "Orders", "Status", ""]}
            rows={requests.map((request) => [
              request.requestId,
              <Link key="customer" url={request.customerAdminUrl} target="_blank">
                {request.customerId}
              </Link>,
              day(request.receivedAt),
              request.orders === null ? "—" : String(request.orders),
              <Status key="status" request={request} />,
              <Actions key="actions" request={request} />,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
