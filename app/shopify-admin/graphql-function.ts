import type { AdminClient } from "./client";
import { defineOperation } from "./operation";

// For modules that keep their own GraphQL documents (the publisher's metafield mutations, app/publish/): a plain
// document → data function over the one Admin client, so throttling, retries and errors stay in one place. The
// documents are validated against the Admin schema by their own tests. Setting or deleting the same metafields
// twice, or creating a definition that exists (TAKEN), is harmless: every call may be retried.
export function adminGraphqlFunction(client: AdminClient) {
  const operations = new Map<
    string,
    ReturnType<typeof defineOperation<Record<string, unknown>, Record<string, unknown>>>
  >();
  return async (document: string, variables: Record<string, unknown> = {}) => {
    let operation = operations.get(document);
    if (!operation) {
      operation = defineOperation<Record<string, unknown>, Record<string, unknown>>(document, { idempotent: true });
      operations.set(document, operation);
    }
    const data = await client.request(operation, variables as never);
    // Pacing by the cost bucket happens inside the client, so no cost is handed back for a second budget.
    return { data, extensions: {} };
  };
}
