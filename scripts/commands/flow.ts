import { parseArgs } from "node:util";
import { LOCAL_API_SECRET } from "../../app/config.server.ts";
import { closeDatabase, database, migrateDatabase } from "../../app/db.server.ts";
import { UnknownShopError } from "../../app/ingest/sync-status.ts";
import { flowOverview, formatFlowOverview } from "../../app/publish/flow/activity.server.ts";
import { FLOW_STATES } from "../../app/publish/flow/states.ts";
import type { FlowState } from "../../app/publish/flow/states.ts";
import { invokeSetTier } from "./flow-invoke.ts";

export const summary =
  "Shopify Flow: `flow activity --shop DOMAIN`; `flow invoke-set-tier --shop DOMAIN --customer ID --tier TIER`";
export const usage = `Usage: npm run cadence -- flow activity --shop DOMAIN [--limit N] [--state STATE] [--format text|json]
       npm run cadence -- flow invoke-set-tier --shop DOMAIN --customer ID --tier TIER [--until YYYY-MM-DD]
                                               [--reason TEXT] [--url http://127.0.0.1:3000]

activity: the shop's Flow triggers (since when they are sent, held mass moves, triggers that may not have reached
Flow, and the latest ones with what each said). The demo's shop has no Shopify store: its triggers are "recorded".
STATE is one of ${FLOW_STATES.join(", ")}. Uses DATABASE_URL, or the embedded database (also while the demo runs).

invoke-set-tier: runs the "Set loyalty tier" Flow action on a running Cadence (the demo by default) the way Flow
does: the same JSON body, signed with the app secret (SHOPIFY_API_SECRET, or the local demo's secret when unset),
POSTed to /flow/actions/set-tier. Prints the answer. TIER is a tier's name or ID; --until is the tier's last day.`;

function fail(message: string, code = 2): number {
  process.stderr.write(`${message}\n`);
  return code;
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        shop: { type: "string" },
        limit: { type: "string", default: "30" },
        state: { type: "string" },
        format: { type: "string", default: "text" },
        customer: { type: "string" },
        tier: { type: "string" },
        until: { type: "string" },
        reason: { type: "string" },
        url: { type: "string", default: "http://127.0.0.1:3000" },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage}`);
  }
  const { values, positionals } = parsed;
  const [what] = positionals;
  if (!values.shop) return fail(`--shop DOMAIN is required.\n\n${usage}`);
  if (what === "invoke-set-tier") {
    if (!values.customer || !values.tier) return fail(`--customer ID and --tier TIER are required.\n\n${usage}`);
    const answer = await invokeSetTier({
      url: values.url,
      secret: process.env.SHOPIFY_API_SECRET || LOCAL_API_SECRET,
      shop: values.shop,
      customerId: values.customer,
      tier: values.tier,
      until: values.until ?? "",
      reason: values.reason ?? "",
    });
    process.stdout.write(`${answer.status} ${answer.body}\n`);
    return answer.status === 200 ? 0 : 1;
  }
  if (what !== "activity") return fail(`Unknown flow command "${what ?? ""}".\n\n${usage}`);
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    return fail("--limit must be a whole number from 1 to 500.");
  if (values.state && !FLOW_STATES.includes(values.state as FlowState))
    return fail(`--state must be one of ${FLOW_STATES.join(", ")}.`);
  if (values.format !== "text" && values.format !== "json")
    return fail(`--format must be text or json, not "${values.format}".`);
  try {
    await migrateDatabase();
    const { rows } = await database().sql.query<{ id: string }>(`SELECT id FROM "Shop" WHERE domain = $1`, [
      values.shop,
    ]);
    if (!rows[0]) throw new UnknownShopError(`No shop "${values.shop}" in this database.`);
    const overview = await flowOverview(database().sql, rows[0].id, {
      limit,
      ...(values.state ? { state: values.state as FlowState } : {}),
    });
    process.stdout.write(
      (values.format === "json" ? JSON.stringify(overview, null, 2) : formatFlowOverview(values.shop, overview)) + "\n",
    );
    return 0;
  } catch (error) {
    if (error instanceof UnknownShopError) return fail(error.message, 1);
    throw error;
  } finally {
    await closeDatabase();
  }
}
