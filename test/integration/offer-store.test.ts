import { beforeAll, describe, expect, test } from "vitest";
import {
  createOffer,
  deleteDraftOffer,
  getOffer,
  listOffers,
  setOfferStatus,
  updateOffer,
} from "~/offers/store.server";
import { appUnderTest, installTestShop } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";

// Offers persisted per shop: validation with field errors, generated IDs, shop scoping, drafts vs archived.

let app: AppUnderTest;
let shopA: string;
let shopB: string;

const content = { headline: "Gold members: 15% off", ctaLabel: "Shop now", ctaUrl: "/collections/new" };

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, "store-a.myshopify.com");
  await installTestShop(app, "store-b.myshopify.com");
  shopA = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: "store-a.myshopify.com" } })).id;
  shopB = (await app.prisma.shop.findUniqueOrThrow({ where: { domain: "store-b.myshopify.com" } })).id;
});

describe("offer store", () => {
  test("creates an offer with an ID from its name, the default holdout, and reads it back", async () => {
    const first = await createOffer(app.prisma, shopA, {
      name: "Gold members",
      audience: { kind: "tier", tierKey: "gold" },
      content,
      status: "active",
    });
    const second = await createOffer(app.prisma, shopA, {
      name: "Gold members!",
      audience: { kind: "tier", tierKey: "gold" },
      content,
    });
    expect(first).toMatchObject({
      ok: true,
      offer: { id: "gold-members", holdoutPercent: 10, priority: 0, status: "active" },
    });
    expect(second).toMatchObject({ ok: true, offer: { id: "gold-members-2", status: "draft" } });
    expect(await getOffer(app.prisma, shopA, "gold-members")).toEqual(first.ok && first.offer);
  });

  test("invalid input comes back as field errors and stores nothing", async () => {
    const before = await app.prisma.offer.count({ where: { shopId: shopA } });
    const result = await createOffer(app.prisma, shopA, {
      name: "Bad",
      audience: { kind: "guests" },
      content: { headline: "", ctaLabel: "Go", ctaUrl: "javascript:alert(1)" },
      holdoutPercent: 20,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["content.ctaUrl", "content.headline", "holdoutPercent"]);
    expect(result.errors["content.ctaUrl"]).toContain("https://");
    const guestHoldout = await createOffer(app.prisma, shopA, {
      name: "Guests",
      audience: { kind: "guests" },
      content,
      holdoutPercent: 20,
    });
    expect(guestHoldout).toEqual({
      ok: false,
      errors: { holdoutPercent: expect.stringContaining("guests are never held out") },
    });
    expect(await app.prisma.offer.count({ where: { shopId: shopA } })).toBe(before);
  });

  test("a duplicate ID is a field error", async () => {
    await createOffer(app.prisma, shopA, { id: "dup", name: "One", audience: { kind: "everyone" }, content });
    expect(
      await createOffer(app.prisma, shopA, { id: "dup", name: "Two", audience: { kind: "everyone" }, content }),
    ).toEqual({
      ok: false,
      errors: { id: 'an offer with ID "dup" already exists' },
    });
  });

  test("updates validate the whole offer; the ID never changes", async () => {
    await createOffer(app.prisma, shopA, {
      id: "sched",
      name: "Scheduled",
      audience: { kind: "everyone" },
      content,
      startsAt: new Date("2026-12-01"),
    });
    expect(await updateOffer(app.prisma, shopA, "sched", { endsAt: new Date("2026-11-01") })).toEqual({
      ok: false,
      errors: { endsAt: "The offer must end after it starts" },
    });
    const moved = await updateOffer(app.prisma, shopA, "sched", { priority: 50, endsAt: new Date("2026-12-24") });
    expect(moved).toMatchObject({ ok: true, offer: { id: "sched", priority: 50, endsAt: new Date("2026-12-24") } });
    expect(await updateOffer(app.prisma, shopA, "sched", { id: "other" } as never)).toEqual({
      ok: false,
      errors: { id: "an offer's ID cannot change" },
    });
    expect(await setOfferStatus(app.prisma, shopA, "sched", "paused")).toMatchObject({
      ok: true,
      offer: { status: "paused" },
    });
  });

  test("one shop never sees, changes or deletes another's offers", async () => {
    await createOffer(app.prisma, shopB, { id: "b-only", name: "B", audience: { kind: "everyone" }, content });
    expect((await listOffers(app.prisma, shopA)).map((offer) => offer.id)).not.toContain("b-only");
    expect(await getOffer(app.prisma, shopA, "b-only")).toBeNull();
    expect(await updateOffer(app.prisma, shopA, "b-only", { priority: 9 })).toEqual({
      ok: false,
      errors: { id: 'no offer "b-only" in this shop' },
    });
    expect(await deleteDraftOffer(app.prisma, shopA, "b-only")).toMatchObject({ ok: false });
    expect(await getOffer(app.prisma, shopB, "b-only")).toMatchObject({ priority: 0 });
  });

  test("only drafts can be deleted; list filters by status, highest priority first", async () => {
    expect(await deleteDraftOffer(app.prisma, shopA, "gold-members")).toEqual({
      ok: false,
      errors: { id: "Only a draft can be deleted; archive this offer instead." },
    });
    expect(await deleteDraftOffer(app.prisma, shopA, "gold-members-2")).toEqual({ ok: true });
    expect(await getOffer(app.prisma, shopA, "gold-members-2")).toBeNull();
    await createOffer(app.prisma, shopA, {
      id: "top",
      name: "Top",
      audience: { kind: "everyone" },
      content,
      priority: 500,
      status: "active",
    });
    expect((await listOffers(app.prisma, shopA, { status: "active" })).map((offer) => offer.id)).toEqual([
      "top",
      "gold-members",
    ]);
  });
});
