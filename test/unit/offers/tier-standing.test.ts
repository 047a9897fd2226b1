import { describe, expect, test } from "vitest";
import { shopperStanding } from "~/publish/audience.server";
import { parseProgram } from "~/segments/tiers/program";

// Tier progress published to the storefront, from a stored profile and the shop's loyalty program.

const program = (window: object) =>
  parseProgram({
    window,
    tiers: [
      { id: "bronze", name: "Bronze", enter: { spendMinor: 1000 } },
      { id: "silver", name: "Silver", enter: { spendMinor: 20000, orders: 5 } },
      { id: "gold", name: "Gold", enter: { spendMinor: 50000 } },
    ],
  });

const profile = {
  tierId: "silver",
  tierName: "Silver",
  orders: 9,
  netSpendMinor: 62000n,
  orders365: 3,
  netSpend365Minor: 41000n,
};

describe("shopperStanding", () => {
  test("counts what is left to the next tier over the program's window", () => {
    expect(shopperStanding(profile, program({ kind: "rolling", days: 365 }))).toEqual({
      tierKey: "silver",
      tierName: "Silver",
      next: { tierName: "Gold", remainingSpendMinor: 9000, remainingOrders: undefined },
    });
    // Lifetime spend is already past Gold's threshold: nothing left to spend (the storefront says "on your way").
    expect(
      shopperStanding({ ...profile, tierId: "bronze", tierName: "Bronze" }, program({ kind: "lifetime" }))?.next,
    ).toEqual({
      tierName: "Silver",
      remainingSpendMinor: 0,
      remainingOrders: 0,
    });
  });

  test("a window the profile has no totals for names the next tier without amounts; the top tier has no next", () => {
    expect(shopperStanding(profile, program({ kind: "calendar-year" }))?.next).toEqual({
      tierName: "Gold",
      remainingSpendMinor: undefined,
      remainingOrders: undefined,
    });
    expect(shopperStanding({ ...profile, tierId: "gold", tierName: "Gold" }, program({ kind: "lifetime" }))).toEqual({
      tierKey: "gold",
      tierName: "Gold",
    });
    expect(shopperStanding({ ...profile, tierId: null, tierName: null }, program({ kind: "lifetime" }))).toBeNull();
  });
});
