import { orderBody } from "../support/webhook-payloads";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { JOBS } from "~/queue/queue.server";
import { publishJobs } from "~/jobs/publish-jobs";
import type { PublishJobDeps } from "~/jobs/publish-jobs";
import { segmentJobs } from "~/jobs/segment-jobs";
import { metafieldDefinitionInputs, METAFIELD_NAMESPACE } from "~/storefront-contract/metafields";
import { appUnderTest, installTestShop, webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { syncHarness } from "../support/sync-harness";
import type { SyncHarness } from "../support/sync-harness";

// The publisher wired to the one Admin client: after a full pass the shop's customers' metafields are written to
// (mocked) Shopify through app/shopify-admin/, definitions are created at install, and a second run writes nothing.

const SHOP = "publish-jobs.myshopify.com";
const CUSTOMER = "7400000001";
let app: AppUnderTest;
let harness: SyncHarness;
let deps: PublishJobDeps;
let shopId: string;

const order = (id: string, amount: string, processedAt: string): string =>
  orderBody({ id, subtotal: amount, createdAt: processedAt, customerId: CUSTOMER });

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  const processed = new Date(Date.now() - 20 * 86_400_000).toISOString();
  expect(
    (
      await app.handle(
        webhookRequest({ shop: SHOP, topic: "orders/create", body: order("8200000001", "120.00", processed) }),
      )
    ).status,
  ).toBe(200);
  harness = syncHarness(SHOP, {
    CadenceShopId: () => ({ shop: { id: "gid://shopify/Shop/1" } }),
    CadenceMetafieldsSet: (variables) => ({
      metafieldsSet: {
        metafields: (variables.metafields as Array<{ key: string; namespace: string }>).map((m) => ({
          key: m.key,
          namespace: m.namespace,
          ownerType: "CUSTOMER",
        })),
        userErrors: [],
      },
    }),
    CadenceMetafieldsDelete: () => ({ metafieldsDelete: { deletedMetafields: [], userErrors: [] } }),
    CadenceMetafieldDefinitionCreate: (variables) => ({
      metafieldDefinitionCreate: {
        createdDefinition: {
          id: "gid://shopify/MetafieldDefinition/1",
          key: (variables.definition as { key: string }).key,
          namespace: "app",
          ownerType: "CUSTOMER",
        },
        userErrors: [],
      },
    }),
  });
  deps = { database: database(), access: harness.deps.access, enqueue: harness.deps.enqueue, log: harness.deps.log };
});
afterAll(() => harness.mock.stop());

describe("publishing through the Admin client", () => {
  test("install creates every metafield definition the extension reads", async () => {
    await publishJobs.defineMetafields(deps, { shopId });
    const created = harness.mock.calls.filter((call) => call.operationName === "CadenceMetafieldDefinitionCreate");
    expect(created.map((call) => (call.variables.definition as { key: string }).key).sort()).toEqual(
      metafieldDefinitionInputs()
        .map((d) => d.key)
        .sort(),
    );
  });

  test("a full pass queues publishing; publishing writes the customer's metafields once", async () => {
    await segmentJobs.fullPass(
      { database: database(), enqueue: harness.deps.enqueue, log: harness.deps.log },
      { shopId },
    );
    expect(harness.take(JOBS.publish).map((job) => job.data.shopId)).toEqual([shopId]);

    const definitionsBefore = harness.mock.callsOf("CadenceMetafieldDefinitionCreate").length;
    await publishJobs.publish(deps, { shopId });
    // The first publish in a process makes sure every definition exists (a shop installed before one was added).
    expect(harness.mock.callsOf("CadenceMetafieldDefinitionCreate").length - definitionsBefore).toBe(
      metafieldDefinitionInputs().length,
    );
    const sets = harness.mock.calls.filter((call) => call.operationName === "CadenceMetafieldsSet");
    const written = sets.flatMap(
      (call) => call.variables.metafields as Array<{ ownerId: string; namespace: string; key: string }>,
    );
    expect(
      written.some((m) => m.ownerId === `gid://shopify/Customer/${CUSTOMER}` && m.namespace === METAFIELD_NAMESPACE),
    ).toBe(true);
    expect(await app.prisma.publishedMetafields.count({ where: { shopId, owner: `customer:${CUSTOMER}` } })).toBe(1);

    const before = harness.mock.calls.length;
    await publishJobs.publish(deps, { shopId });
    expect(
      harness.mock.calls
        .slice(before)
        .filter(
          (call) =>
            call.operationName === "CadenceMetafieldsSet" || call.operationName === "CadenceMetafieldDefinitionCreate",
        ),
    ).toEqual([]);
  });

  test("an uninstalled shop publishes nothing", async () => {
    await app.prisma.shop.update({ where: { id: shopId }, data: { uninstalledAt: new Date() } });
    const before = harness.mock.calls.length;
    await publishJobs.publish(deps, { shopId });
    expect(harness.mock.calls.length).toBe(before);
    await app.prisma.shop.update({ where: { id: shopId }, data: { uninstalledAt: null } });
  });
});
