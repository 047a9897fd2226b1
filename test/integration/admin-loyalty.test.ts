import type { PreviewResult } from "~/admin-data/loyalty-form";
import { beforeAll, describe, expect, test } from "vitest";
import { database } from "~/db.server";
import { JOBS, stopJobQueue } from "~/queue/queue.server";
import { segmentJobs } from "~/jobs/segment-jobs";
import { createLogger } from "~/logging/logger";
import { runFullPass } from "~/recompute/full-pass.server";
import { acquireLease, releaseLease } from "~/recompute/lease.server";
import { APPLY_WAIT_MS } from "~/recompute/loyalty.server";
import { UNREADABLE_FORM } from "~/request-body/form-json";
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

// The tiers editor and the custom segment builder through the real request handler: previews agree with what a
// save then does, and every kind of bad input is refused field by field with nothing stored.

const SHOP = "admin-loyalty.myshopify.com";
let app: AppUnderTest;
let shopId: string;

beforeAll(async () => {
  app = await appUnderTest();
  shopId = await installTestShop(app, SHOP);
  await seedGeneratedShop(app, SHOP, 40);
  await runFullPass(app.database, shopId, { asOf: AS_OF });
}, 120_000);

type Draft = { window: string; days: string; combine: string; graceDays: string; tiers: Record<string, string>[] };

async function loyaltyPage(): Promise<{ draft: Draft; version: number }> {
  const response = await app.handle(await adminRequest("/app/loyalty.data?_routes=routes%2Fapp.loyalty", SHOP));
  expect(response.status).toBe(200);
  return singleFetchData(response, "routes/app.loyalty");
}

async function post(path: string, fields: Record<string, string>) {
  const response = await app.handle(await adminFormRequest(path, SHOP, fields));
  return {
    status: response.status,
    result: await singleFetchActionData<Record<string, unknown> & { errors?: Record<string, string> }>(response),
  };
}

const storedProgram = () => app.prisma.loyaltyProgram.findUniqueOrThrow({ where: { shopId } });

describe("loyalty tiers editor", () => {
  test("shows the current program in the shop currency", async () => {
    const { draft, version } = await loyaltyPage();
    expect(version).toBe(1);
    expect(draft.tiers.map((tier) => tier.id)).toEqual(["bronze", "silver", "gold"]);
    const stored = (await storedProgram()).definition as { tiers: { enter: { spendMinor: number | null } }[] };
    const gold = stored.tiers[2]!.enter.spendMinor;
    expect(draft.tiers[2]!.enterSpend).toBe(gold === null ? "" : (gold / 100).toFixed(2));
  });

  test("bad input: each problem under its field, nothing saved", async () => {
    const before = await storedProgram();
    const { draft } = await loyaltyPage();
    const cases: [Draft, string, RegExp][] = [
      [
        { ...draft, tiers: draft.tiers.map((t, i) => (i === 1 ? { ...t, retainSpend: "999999" } : t)) },
        "tiers.1.retainSpend",
        /cannot be above Enter at/,
      ],
      [{ ...draft, tiers: draft.tiers.map((t, i) => (i === 0 ? { ...t, name: " " } : t)) }, "tiers.0.name", /name/],
      [
        { ...draft, tiers: draft.tiers.map((t, i) => (i === 2 ? { ...t, enterSpend: "-5" } : t)) },
        "tiers.2.enterSpend",
        /amount/,
      ],
      [
        { ...draft, tiers: [draft.tiers[0]!, { ...draft.tiers[0]!, id: "", name: "Bronze again" }] },
        "tiers.1.enterSpend",
        /harder to enter/,
      ],
      [{ ...draft, days: "0" }, "days", /whole number/],
      [{ ...draft, graceDays: "soon" }, "graceDays", /whole number/],
    ];
    for (const [bad, field, message] of cases) {
      for (const intent of ["preview", "save"]) {
        const { status, result } = await post("/app/loyalty", { intent, program: JSON.stringify(bad) });
        expect(status, `${field} ${intent}`).toBe(400);
        expect(result.data?.errors?.[field], `${field}: ${JSON.stringify(result.data)}`).toMatch(message);
      }
    }
    for (const program of ["{not json", "[]", ""]) {
      const unreadable = await post("/app/loyalty", { intent: "save", program });
      expect(unreadable.status, program).toBe(400);
      expect(unreadable.result.data?.errors?.form, program).toBe(UNREADABLE_FORM);
    }
    const after = await storedProgram();
    expect(after.version).toBe(before.version);
    expect(after.definition).toEqual(before.definition);
  });

  test("the preview's counts are what saving then does", async () => {
    const { draft } = await loyaltyPage();
    // Gold twice as hard to enter and to keep, no grace: some Gold customers drop to Silver today.
    const doubled = (text: string) => (text ? (Number(text) * 2).toFixed(2) : "");
    const harder = {
      ...draft,
      graceDays: "0",
      tiers: draft.tiers.map((t, i) =>
        i === 2 ? { ...t, enterSpend: doubled(t.enterSpend ?? ""), retainSpend: doubled(t.retainSpend ?? "") } : t,
      ),
    };
    const preview = await post("/app/loyalty", { intent: "preview", program: JSON.stringify(harder) });
    expect(preview.status).toBe(200);
    const result = (preview.result.data as { preview: PreviewResult }).preview;
    expect(result.customers).toBe(40);
    expect(result.down).toBeGreaterThan(0);
    expect(result.tiers.find((tier) => tier.tierId === "gold")?.line).toMatch(/^Gold \d+ → \d+ now$/);
    const saved = await post("/app/loyalty", { intent: "save", program: JSON.stringify(harder) });
    expect(saved.status).toBe(200);
    expect(saved.result.data).toMatchObject({
      intent: "save",
      version: 2,
      summary: expect.stringContaining(`${result.down} customer${result.down === 1 ? "" : "s"} moved down (`),
    });
    for (const tier of result.counts) {
      expect(await app.prisma.customerProfile.count({ where: { shopId, tierId: tier.tierId } }), tier.name).toBe(
        tier.now,
      );
    }
    expect((await storedProgram()).version).toBe(2);
  });
});

describe("custom segment builder", () => {
  const segment = (
    conditions: { field: string; op: string; value: string }[],
    name = "Big spenders",
    combine = "all",
  ) => JSON.stringify({ name, combine, conditions });

  test("the live count equals the members a save then gives, and tiny segments are warned about", async () => {
    const rule = [{ field: "orders", op: "gte", value: "3" }];
    const preview = await post("/app/segments/new", { intent: "preview", segment: segment(rule) });
    expect(preview.status).toBe(200);
    const { count, warnings } = (preview.result.data as { preview: { count: number; warnings: { kind: string }[] } })
      .preview;
    const profiles = await app.prisma.customerProfile.findMany({ where: { shopId } });
    expect(count).toBe(profiles.filter((p) => p.orders >= 3).length);
    expect(warnings.map((w) => w.kind)).toContain(count === 0 ? "empty" : "tiny");
    const saved = await post("/app/segments/new", { intent: "save", segment: segment(rule) });
    expect(saved.status).toBe(200);
    expect(saved.result.data).toMatchObject({ saved: "custom:big-spenders", members: count });
  });

  test("a probability is typed as a percentage and stored as the rule's share; the count follows it", async () => {
    const profiles = await app.prisma.customerProfile.findMany({ where: { shopId } });
    const counted = async (percent: string) => {
      const preview = await post("/app/segments/new", {
        intent: "preview",
        segment: segment([{ field: "pAlive", op: "lt", value: percent }], "Fading"),
      });
      expect(preview.status).toBe(200);
      return (preview.result.data as { preview: { count: number } }).preview.count;
    };
    for (const percent of [30, 90])
      expect(await counted(String(percent))).toBe(
        profiles.filter((p) => p.pAlive !== null && p.pAlive < percent / 100).length,
      );
    const saved = await post("/app/segments/new", {
      intent: "save",
      segment: segment(
        [
          { field: "pAlive", op: "lt", value: "90" },
          { field: "refundCancelShare", op: "between", value: "12.5, 50" },
        ],
        "Fading",
      ),
    });
    expect(saved.status).toBe(200);
    const definition = await app.prisma.segmentDefinition.findUniqueOrThrow({
      where: { shopId_key: { shopId, key: "custom:fading" } },
    });
    expect(definition.rule).toEqual({
      all: [
        { field: "pAlive", op: "lt", value: 0.9 },
        { field: "refundCancelShare", op: "between", value: [0.125, 0.5] },
      ],
    });
    // Opened again, the builder shows percentages, not shares.
    const response = await app.handle(
      await adminRequest("/app/segments/new.data?key=custom%3Afading&_routes=routes%2Fapp.segments.new", SHOP),
    );
    const data = await singleFetchData<{ draft: { conditions: { value: string }[] } }>(
      response,
      "routes/app.segments.new",
    );
    expect(data.draft.conditions.map((condition) => condition.value)).toEqual(["90", "12.5, 50"]);
    expect((await post("/app/segments/new", { intent: "delete", key: "custom:fading" })).status).toBe(200);
  });

  test("a near-duplicate of an existing segment is warned about", async () => {
    const preview = await post("/app/segments/new", {
      intent: "preview",
      segment: segment([{ field: "orders", op: "gt", value: "2" }], "Same again"),
    });
    const { warnings } = (preview.result.data as { preview: { warnings: { kind: string }[] } }).preview;
    expect(warnings.map((w) => w.kind)).toContain("near-duplicate");
  });

  test("bad rules are refused under their field, and nothing is stored", async () => {
    const before = await app.prisma.segmentDefinition.findMany({ where: { shopId } });
    const cases: [string, string, RegExp][] = [
      [
        segment([{ field: "shoeSize", op: "gte", value: "3" }], "Shoes"),
        "conditions.0.field",
        /^Choose a field from the list$/,
      ],
      [
        segment(
          [
            { field: "orders", op: "gte", value: "3" },
            { field: "lifecycle", op: "gte", value: "new" },
          ],
          "Ops",
        ),
        "conditions.1.op",
        /^Choose a comparison from the list$/,
      ],
      [
        segment([{ field: "netSpend", op: "gte", value: "lots" }], "Money"),
        "conditions.0.value",
        /^Enter an amount in GBP, like 100.00$/,
      ],
      [
        segment([{ field: "pAlive", op: "lt", value: "130" }], "Share"),
        "conditions.0.value",
        /^Enter a percentage from 0 to 100$/,
      ],
      [
        segment([{ field: "orders", op: "between", value: "5, 2" }], "Range"),
        "conditions.0.value",
        /^The first number must not be above the second$/,
      ],
      [
        segment([{ field: "orders", op: "between", value: "5" }], "Half range"),
        "conditions.0.value",
        /^Enter both ends of the range$/,
      ],
      [
        segment([{ field: "rfmGroup", op: "eq", value: "royalty" }], "Choice"),
        "conditions.0.value",
        /^Choose from the list$/,
      ],
      [
        segment([{ field: "lifecycle", op: "in", value: "" }], "None chosen"),
        "conditions.0.value",
        /^Choose at least one$/,
      ],
      [segment([{ field: "orders", op: "gte", value: "1" }], "  "), "name", /name/],
      [segment([{ field: "orders", op: "gte", value: "1" }], "Big spenders"), "name", /exists/],
      [segment([], "Empty"), "conditions", /at least one/],
    ];
    for (const [body, field, message] of cases) {
      const { status, result } = await post("/app/segments/new", { intent: "save", segment: body });
      expect(status, field).toBe(400);
      expect(result.data?.errors?.[field], `${field}: ${JSON.stringify(result.data)}`).toMatch(message);
    }
    // A draft that is not JSON, or JSON that is not a draft: the page and the server disagree; reload, nothing saved.
    for (const body of ["{not json", '{"name": "x"}', ""]) {
      for (const intent of ["preview", "save"]) {
        const { status, result } = await post("/app/segments/new", { intent, segment: body });
        expect(status, `${intent} ${body}`).toBe(400);
        expect(result.data?.errors?.form, `${intent} ${body}`).toBe(UNREADABLE_FORM);
      }
    }
    expect(await app.prisma.segmentDefinition.findMany({ where: { shopId } })).toEqual(before);
  });

  test("an existing segment opens in the builder, and can be deleted", async () => {
    const response = await app.handle(
      await adminRequest("/app/segments/new.data?key=custom%3Abig-spenders&_routes=routes%2Fapp.segments.new", SHOP),
    );
    const data = await singleFetchData<{ draft: { name: string; conditions: unknown[] } }>(
      response,
      "routes/app.segments.new",
    );
    expect(data.draft).toEqual({
      name: "Big spenders",
      combine: "all",
      conditions: [{ field: "orders", op: "gte", value: "3" }],
    });
    const deleted = await post("/app/segments/new", { intent: "delete", key: "custom:big-spenders" });
    expect(deleted.status).toBe(200);
    expect(
      await app.prisma.customerProfile.count({ where: { shopId, segments: { has: "custom:big-spenders" } } }),
    ).toBe(0);
    expect((await post("/app/segments/new", { intent: "delete", key: "custom:big-spenders" })).status).toBe(404);
    const missing = await app.handle(
      await adminRequest("/app/segments/new.data?key=custom%3Anope&_routes=routes%2Fapp.segments.new", SHOP),
    );
    expect(missing.status).toBe(404);
  });
});

describe("a program saved while another recompute runs", () => {
  test(
    "saved while another recompute runs: the request does not wait for it; a queued pass applies the change after it",
    { timeout: 90_000 },
    async () => {
      const { draft } = await loyaltyPage();
      // Another pass holds the shop's lease (a nightly pass on a large shop), for longer than a request may wait.
      const running = await acquireLease(app.database.sql, shopId);
      expect(running).not.toBeNull();
      // Gold as easy as it may be: a cent above Silver's thresholds.
      const silver = draft.tiers[1]!;
      const justAbove = (text: string | undefined) => (Number(text) + 0.01).toFixed(2);
      const easier = {
        ...draft,
        graceDays: "0",
        tiers: draft.tiers.map((t, i) =>
          i === 2 ? { ...t, enterSpend: justAbove(silver.enterSpend), retainSpend: justAbove(silver.retainSpend) } : t,
        ),
      };
      const preview = (await post("/app/loyalty", { intent: "preview", program: JSON.stringify(easier) })).result
        .data as { preview: PreviewResult };
      expect(preview.preview.up).toBeGreaterThan(0);
      const goldBefore = await app.prisma.customerProfile.count({ where: { shopId, tierId: "gold" } });
      const saved = await post("/app/loyalty", { intent: "save", program: JSON.stringify(easier) });
      expect(saved.status).toBe(200);
      expect(saved.result.data).toMatchObject({
        intent: "save",
        version: 3,
        summary: expect.stringContaining("applied right after it, in the background"),
      });
      expect(await app.prisma.customerProfile.count({ where: { shopId, tierId: "gold" } })).toBe(goldBefore);
      const { rows } = await database().sql.query<{ data: { shopId: string; waitForOtherPassMs: number } }>(
        `SELECT data FROM pgboss.job WHERE name = $1 AND singleton_key = $2`,
        [JOBS.fullPass, `${shopId}:program-3`],
      );
      expect(rows.map((row) => row.data)).toEqual([{ shopId, waitForOtherPassMs: APPLY_WAIT_MS }]);

      // The queued pass waits for the running one's lease instead of being skipped, then applies the new program.
      const deps = { database: database(), enqueue: async () => undefined, log: createLogger("silent") };
      const applying = segmentJobs.fullPass(deps, rows[0]!.data);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await releaseLease(app.database.sql, running!);
      await applying;
      expect(await app.prisma.customerProfile.count({ where: { shopId, tierId: "gold" } })).toBe(
        goldBefore + preview.preview.up,
      );
      await stopJobQueue();
    },
  );
});
