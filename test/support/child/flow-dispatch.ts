// Child process of test/integration/flow-crash.test.ts: one Flow dispatch of a shop, against the test's database
// (DATABASE_URL) and an Admin API mock in this process that appends every trigger it receives to a file before it
// answers (a file survives the process). With "stall", the first request's triggers are received and the answer
// never comes: the process hangs mid-request until the test kills it with SIGKILL.
import { appendFileSync } from "node:fs";
import { closeDatabase, database } from "~/db.server";
import { dispatchFlowTriggers } from "~/publish/flow/dispatch.server";
import { createAdminClient } from "~/shopify-admin/client";
import { createLogger } from "~/logging/logger";
import { AdminApiMock } from "../shopify-admin-mock.ts";

const [shopId, shop, receipts, mode] = process.argv.slice(2) as [string, string, string, "stall" | "normal"];
const accessToken = `shpat_test_${shop}`;
const mock = new AdminApiMock({
  shop,
  accessToken,
  resolvers: {
    CadenceFlowTriggers: (variables) => {
      const data: Record<string, { userErrors: never[] }> = {};
      for (let index = 0; `h${index}` in variables; index += 1) {
        const payload = variables[`p${index}`] as Record<string, unknown>;
        const line = {
          handle: variables[`h${index}`],
          customer: String(payload.customer_id),
          segment: payload["Segment key"] ?? null,
          pid: process.pid,
        };
        appendFileSync(receipts, `${JSON.stringify(line)}\n`);
        data[`t${index}`] = { userErrors: [] };
      }
      if (mode === "stall") {
        appendFileSync(receipts, "stalled\n");
        // Blocks this process's only thread: Shopify has run the request, its answer never arrives.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
      }
      return data;
    },
  },
}).start();

const result = await dispatchFlowTriggers(database(), shopId, async () =>
  createAdminClient({ shop, accessToken, logger: createLogger("silent") }),
);
mock.stop();
await closeDatabase();
process.stdout.write(`${JSON.stringify(result)}\n`);
