import { z } from "zod";
import { recordBulkFinished } from "../backfill/bulk-import-state";
import { requestBulkImport } from "../backfill/import-request";
import { PayloadError } from "../normalized";
import { describeIssues } from "../payload-fields";
import { topicHandler } from "./types";

const finishSchema = z.object({
  admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/BulkOperation\/\d+$/),
  status: z.string(),
  error_code: z.string().nullish(),
  type: z.string().optional(),
});

/**
 * bulk_operations/finish: one of the backfill's bulk queries is done. Recorded here; the import (downloading and
 * reading the JSONL file) is background work, started after the commit. A lost webhook is covered by polling.
 */
export const bulkOperationFinished = topicHandler({
  parse(payload) {
    const parsed = finishSchema.safeParse(payload);
    if (!parsed.success) throw new PayloadError(`bulk_operations/finish payload: ${describeIssues(parsed.error)}`);
    return parsed.data;
  },
  async apply(tx, shop, finish) {
    if (finish.type && finish.type !== "query") return { outcome: "ignored", detail: `a bulk ${finish.type}` };
    const completed = finish.status.toLowerCase() === "completed";
    const row = await recordBulkFinished(tx, shop.id, finish.admin_graphql_api_id, {
      completed,
      error: completed ? null : `${finish.status}${finish.error_code ? ` (${finish.error_code})` : ""}`,
      rootObjectCount: null,
    });
    if (!row) return { outcome: "ignored", detail: "not a running backfill operation of this shop" };
    return {
      outcome: "applied",
      detail: `${row.kind} bulk operation ${finish.status}`,
      afterCommit: () => requestBulkImport(shop.id, finish.admin_graphql_api_id),
    };
  },
});
