import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { isoDateFromDay } from "~/profiles/days";
import { runFullPass } from "~/recompute/full-pass.server";
import type { BacktestReport } from "~/segments/predictive";
import {
  adminRequest,
  appUnderTest,
  installTestShop,
  singleFetchData,
  webhookRequest,
} from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { sharedDataPath } from "../support/shared-data";
import { AS_OF, seedGeneratedShop } from "./generated-shop";

// The track record end to end: each full pass refits as of one horizon back, stores its backtest, and the dashboard
// and customer page say in words how many repeat orders were expected and how many came. Orders that arrive for
// the backtest's window raise "came" by exactly their number of purchase days; what was expected (from what was
// known at the cut-off) stays put.

const SHOP = "track-record.myshopify.com";
let app: AppUnderTest;
let shopId: string;

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await seedGeneratedShop(app, SHOP, 40);
}, 120_000);

const sample = JSON.parse(readFileSync(sharedDataPath("shopify-webhooks", "2026-04", "orders", "create.json"), "utf8"));

/** Shopify's sample order made a real paid order of `customerId` on `day` (the sample is a voided test order). */
function paidOrder(orderId: number, customerId: string, day: number): string {
  const at = `${isoDateFromDay(day)}T12:00:00Z`;
  return JSON.stringify({
    ...sample,
    id: orderId,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    name: `#T${orderId}`,
    created_at: at,
    updated_at: at,
    processed_at: at,
    cancelled_at: null,
    cancel_reason: null,
    financial_status: "paid",
    test: false,
    customer: {
      ...sample.customer,
      id: Number(customerId),
      admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
    },
    refunds: [],
  });
}

async function latestRows() {
  return app.prisma.predictionBacktest.findMany({ where: { shopId }, orderBy: { id: "asc" } });
}

describe("the backtest of every full pass", () => {
  let first: BacktestReport;

  test("is stored per pass and in the model state, with the sentence's numbers", async () => {
    const result = await runFullPass(database(), shopId, { asOf: AS_OF });
    expect(result.status).toBe("done");
    const rows = await latestRows();
    expect(rows).toHaveLength(1);
    first = rows[0]!.report as unknown as BacktestReport;
    expect(first).toMatchObject({ horizonDays: 90, asOf: isoDateFromDay(AS_OF), cutoff: isoDateFromDay(AS_OF - 90) });
    expect(rows[0]).toMatchObject({
      horizonDays: 90,
      chosenModel: first.chosen.name,
      actualOrders: first.score.actualOrders,
    });
    expect(first.score.actualOrders).toBeGreaterThan(0);
    const state = (await app.prisma.modelState.findUnique({ where: { shopId } }))!.state as unknown as {
      predictive: { model: { backtest: BacktestReport } };
    };
    expect(state.predictive.model.backtest.score.expectedOrders).toBeCloseTo(first.score.expectedOrders, 9);
    // 40 customers: too few returning to compare models, so the textbook model is kept and the label says so.
    expect(first.chosen.name).toBe("bgnbd");
    expect(first.confidence).not.toBe("high");
  });

  test("orders that came in the window raise 'came' by their purchase days; 'expected' is what the cut-off knew", async () => {
    // Five customers who bought before the cut-off and not on the chosen day.
    const day = AS_OF - 10;
    const customers = await app.prisma.$queryRawUnsafe<{ id: string }[]>(
      `SELECT "customerShopifyId" AS id FROM "Order" WHERE "shopId" = $1 AND "customerShopifyId" IS NOT NULL AND test = false
        GROUP BY 1 HAVING min("processedAt") < $2::date AND bool_and("processedAt"::date <> $3::date) AND "customerShopifyId"::numeric < 9007199254740991
        ORDER BY 1 LIMIT 5`,
      shopId,
      isoDateFromDay(AS_OF - 90),
      isoDateFromDay(day),
    );
    expect(customers).toHaveLength(5);
    for (const [i, { id }] of customers.entries()) {
      const response = await app.handle(
        webhookRequest({ shop: SHOP, topic: "orders/create", body: paidOrder(990_000_001 + i, id, day) }),
      );
      expect(response.status).toBe(200);
    }
    await runFullPass(database(), shopId, { asOf: AS_OF });
    const rows = await latestRows();
    expect(rows).toHaveLength(2);
    const second = rows[1]!.report as unknown as BacktestReport;
    expect(second.score.actualOrders).toBe(first.score.actualOrders + 5);
    expect(second.score.expectedOrders).toBeCloseTo(first.score.expectedOrders, 6);
  });

  test("the dashboard says it in words, with the earlier passes; the customer page has the same sentence", async () => {
    const dashboard = await singleFetchData<{
      predictionRecord: {
        latest: { headline: string; ranking: string | null; confidence: string; model: string };
        history: { actualOrders: number }[];
      };
    }>(await app.handle(await adminRequest("/app.data?_routes=routes%2Fapp._index", SHOP)), "routes/app._index");
    const rows = await latestRows();
    const latest = rows[1]!.report as unknown as BacktestReport;
    expect(dashboard.predictionRecord.latest.headline).toBe(
      `Over the last 90 days Cadence expected ${Math.round(latest.score.expectedOrders).toLocaleString(
        "en",
      )} repeat orders; ${latest.score.actualOrders} came.`,
    );
    if (latest.score.auc !== null)
      expect(dashboard.predictionRecord.latest.ranking).toBe(
        `It ranked who would return correctly ${Math.round(latest.score.auc * 100)}% of the time.`,
      );
    expect(dashboard.predictionRecord.latest.confidence).toBe(latest.confidence);
    expect(dashboard.predictionRecord.latest.model).toMatch(
      /^Cadence uses the standard BG\/NBD model: only \d+ customers returned over the test period, too few to compare models/,
    );
    expect(dashboard.predictionRecord.history.map((row) => row.actualOrders)).toEqual([
      latest.score.actualOrders,
      latest.score.actualOrders - 5,
    ]);

    const customer = await app.prisma.customerProfile.findFirst({
      where: { shopId, orders: { gt: 0 } },
      select: { customerShopifyId: true },
    });
    const page = await singleFetchData<{ predictionRecord: { latest: { headline: string } } }>(
      await app.handle(
        await adminRequest(
          `/app/customers/${customer!.customerShopifyId}.data?_routes=routes%2Fapp.customers.%24id`,
          SHOP,
        ),
      ),
      "routes/app.customers.$id",
    );
    expect(page.predictionRecord.latest.headline).toBe(dashboard.predictionRecord.latest.headline);
  });

  test("another shop sees none of it", async () => {
    const other = "track-record-other.myshopify.com";
    await installTestShop(app, other);
    const data = await singleFetchData<{ predictionRecord: { latest: unknown; history: unknown[] } }>(
      await app.handle(await adminRequest("/app.data?_routes=routes%2Fapp._index", other)),
      "routes/app._index",
    );
    expect(data.predictionRecord).toEqual({ latest: null, history: [] });
  });
});
