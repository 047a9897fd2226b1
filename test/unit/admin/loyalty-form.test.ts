import { describe, expect, test } from "vitest";
import { draftFromProgram, lowerRetainToEnter, programFromDraft, retainAboveEnter } from "~/admin-data/loyalty-form";
import { describePreview, tierLine } from "~/segments/explain/tier-program";
import type { ProgramChangePreview } from "~/segments/tiers/preview";
import { defaultProgram } from "~/segments/tiers/default-program";

// The tiers editor's form: lowering only an enter threshold below its keep threshold is offered as a fix (lower
// keep with it), not a dead end; and a preview in the merchant's words.

const draft = draftFromProgram(
  defaultProgram(
    Array.from({ length: 100 }, (_, i) => (i + 1) * 1000),
    "GBP",
  ),
  "GBP",
);

describe("enter lowered below keep", () => {
  test("is found, and the fix lowers keep to enter, after which the program saves", () => {
    expect(draft.tiers.map((t) => [t.name, t.enterSpend, t.retainSpend])).toEqual([
      ["Bronze", "", ""],
      ["Silver", "750.00", "500.00"],
      ["Gold", "1000.00", "750.00"],
    ]);
    const lowered = { ...draft, tiers: draft.tiers.map((t, i) => (i === 1 ? { ...t, enterSpend: "400" } : t)) };
    const refused = programFromDraft(lowered, "GBP");
    expect(refused).toEqual({
      ok: false,
      errors: {
        "tiers.1.retainSpend":
          "Keep at cannot be above Enter at: customers would need more to keep the tier than to reach it",
      },
    });
    const found = retainAboveEnter(lowered, "GBP");
    expect(found).toEqual([{ index: 1, kind: "Spend", enter: "400", retain: "500.00" }]);
    const fixed = lowerRetainToEnter(lowered, found[0]!);
    expect(fixed.tiers[1]).toMatchObject({ enterSpend: "400", retainSpend: "400" });
    expect(retainAboveEnter(fixed, "GBP")).toEqual([]);
    expect(programFromDraft(fixed, "GBP").ok).toBe(true);
  });

  test("orders too; empty or unreadable fields are left to the form's own errors", () => {
    const orders = {
      ...draft,
      tiers: draft.tiers.map((t, i) => (i === 0 ? { ...t, enterOrders: "2", retainOrders: "3" } : t)),
    };
    expect(retainAboveEnter(orders, "GBP")).toEqual([{ index: 0, kind: "Orders", enter: "2", retain: "3" }]);
    const unreadable = {
      ...draft,
      tiers: draft.tiers.map((t, i) =>
        i === 1 ? { ...t, enterSpend: "lots" } : i === 2 ? { ...t, retainSpend: "" } : t,
      ),
    };
    expect(retainAboveEnter(unreadable, "GBP")).toEqual([]);
  });
});

describe("a preview in words", () => {
  const preview: ProgramChangePreview = {
    asOf: 20_794,
    graceDays: 30,
    graceEndsOn: 20_824,
    customers: 300,
    up: 15,
    down: 0,
    downAfterGrace: 1,
    stay: 284,
    moves: [
      { from: "bronze", to: "silver", on: 20_794, customers: 15 },
      { from: "gold", to: "silver", on: 20_824, customers: 1 },
    ],
    tiers: [
      { tierId: null, name: "No tier", before: 115, now: 115, afterGrace: 115, removed: false },
      { tierId: "bronze", name: "Bronze", before: 120, now: 105, afterGrace: 105, removed: false },
      { tierId: "silver", name: "Silver", before: 46, now: 61, afterGrace: 62, removed: false },
      { tierId: "gold", name: "Gold", before: 1, now: 1, afterGrace: 0, removed: false },
      { tierId: "platinum", name: "Platinum", before: 0, now: 0, afterGrace: 0, removed: true },
    ],
  };

  test("per tier before → after, lowest first, with the day the grace period ends", () => {
    const words = describePreview(preview);
    expect(words.summary).toBe(
      "On 7 December 2026, 15 customers move up; 1 customer falls below the new threshold to keep their tier and moves down when the 30-day grace period ends on 6 January 2027, unless they buy again. 284 customers keep their tier (of 300).",
    );
    expect(words.tiers.map((tier) => tier.line)).toEqual([
      "No tier 115, no change",
      "Bronze 120 → 105 now",
      "Silver 46 → 61 now, → 62 when the 30-day grace period ends on 6 January 2027",
      "Gold 1 → 0 when the 30-day grace period ends on 6 January 2027",
    ]);
    expect(words.moves).toEqual([
      "Bronze → Silver: 15 customers on 7 December 2026",
      "Gold → Silver: 1 customer on 6 January 2027 (when the grace period ends)",
    ]);
    expect(
      tierLine({ tierId: "platinum", name: "Platinum", before: 3, now: 0, afterGrace: 0, removed: true }, preview),
    ).toBe("Platinum 3 → 0 now (removed from the program)");
    expect(describePreview({ ...preview, up: 0, downAfterGrace: 0, stay: 300, moves: [] }).summary).toBe(
      "On 7 December 2026, nobody moves. 300 customers keep their tier (of 300).",
    );
  });
});
