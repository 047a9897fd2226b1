import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { getLoyaltyProgram, setTierOverride } from "~/recompute/loyalty.server";
import { runFullPass } from "~/recompute/full-pass.server";
import { dispatchFlowTriggers } from "~/publish/flow/dispatch.server";
import type { FlowOverview } from "~/publish/flow/activity.server";
import { NoShopifyStoreError } from "~/shopify-admin/errors";
import {
  adminFormRequest,
  adminRequest,
  appUnderTest,
  installTestShop,
  singleFetchActionData,
  singleFetchData,
} from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { AS_OF, seedGeneratedShop } from "./generated-shop";

// The Shopify Flow page through the real request handler: what was sent or recorded and what each trigger said, a
// held mass move with "Send to Flow" and "Don't send", the hold size with its bounds, and bad input refused.

const SHOP = "admin-flow.myshopify.com";
let app: AppUnderTest;
let shopId: string;

async function page(): Promise<{ overview: FlowOverview; demo: boolean }> {
  const response = await app.handle(await adminRequest("/app/flow.data?_routes=routes%2Fapp.flow", SHOP));
  expect(response.status).toBe(200);
  return singleFetchData(response, "routes/app.flow");
}

async function post(fields: Record<string, string>) {
  const response = await app.handle(await adminFormRequest("/app/flow", SHOP, fields));
  return {
    status: response.status,
    result: await singleFetchActionData<{ saved?: string; errors?: Record<string, string> }>(response),
  };
}

const record = () => dispatchFlowTriggers(database(), shopId, () => Promise.reject(new NoShopifyStoreError(SHOP)));

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await seedGeneratedShop(app, SHOP, 40);
}, 180_000);

describe("the Flow page", () => {
  test("before the first full pass: not sending yet, nothing recorded", async () => {
    const { overview } = await page();
    expect(overview.liveSince).toBeNull();
    expect(overview.recent).toEqual([]);
    expect(overview.holdAbove).toBe(500);
  });

  test("a hold size out of bounds or not a number is refused under its field; a good one is kept", async () => {
    for (const [value, message] of [
      ["5", /at least 10/],
      ["many", /number/],
      ["12.5", /whole number/],
    ] as const) {
      const { status, result } = await post({ intent: "hold-above", holdAbove: value });
      expect(status).toBe(400);
      expect(result.data?.errors?.holdAbove).toMatch(message);
    }
    expect((await post({ intent: "explode" })).status).toBe(400);
    expect((await post({ intent: "send-hold", holdId: "1; DROP TABLE" })).status).toBe(400);
    const { status, result } = await post({ intent: "hold-above", holdAbove: "10" });
    expect(status).toBe(200);
    expect(result.data?.saved).toBe("Saved");
    expect((await page()).overview.holdAbove).toBe(10);
  });

  test("after the pass: triggers with what they said; a mass move held, then sent by the merchant", async () => {
    await runFullPass(database(), shopId, { asOf: AS_OF });
    const program = (await getLoyaltyProgram(app.prisma, shopId))!.program;
    const [lowest, top] = [program.tiers[0]!, program.tiers.at(-1)!];
    const customers = await app.prisma.customerProfile.findMany({
      where: { shopId, tierId: lowest.id },
      orderBy: { customerShopifyId: "asc" },
      take: 12,
    });
    expect(customers).toHaveLength(12);
    for (const customer of customers)
      await setTierOverride(
        app.database,
        shopId,
        customer.customerShopifyId,
        { tierId: top.id, reason: "Launch party" },
        { asOf: AS_OF + 1 },
      );
    await record();

    const { overview } = await page();
    expect(overview.liveSince).not.toBeNull();
    expect(overview.holds).toEqual([
      expect.objectContaining({ label: `Tier ${lowest.name} → ${top.name}`, customers: 12 }),
    ]);
    expect(overview.counts.held).toBe(12);
    expect(overview.recent[0]).toMatchObject({
      trigger: "Customer tier changed",
      stateLabel: "Held for review",
      description: `${lowest.name} → ${top.name} (set by staff)`,
    });

    const { status, result } = await post({ intent: "send-hold", holdId: overview.holds[0]!.id });
    expect(status).toBe(200);
    expect(result.data?.saved).toBe("12 triggers will be sent to Flow within a few minutes");
    const again = await post({ intent: "discard-hold", holdId: overview.holds[0]!.id });
    expect(again.status).toBe(409);
    expect(again.result.data?.errors?.form).toMatch(/already decided/);

    await record();
    const after = (await page()).overview;
    expect(after.holds).toEqual([]);
    expect(after.counts.recorded).toBe(12);
    expect(after.recent.every((row) => row.stateLabel === "Recorded (no Shopify store)")).toBe(true);
  });
});
