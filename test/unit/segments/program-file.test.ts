import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { defaultProgram } from "~/segments/tiers/default-program";
import { parseProgramFile, programFromFile, ProgramFileError, programToFile } from "~/segments/tiers/program-file";
import { parseProgram } from "~/segments/tiers/program";

// The operator's program file (`tiers show` prints it, `tiers preview|apply` read it).

const program = parseProgram({
  window: { kind: "calendar-year" },
  combine: "all",
  graceDays: 14,
  tiers: [
    { id: "member", name: "Member", enter: { orders: 1 } },
    { id: "vip", name: "VIP", enter: { spendMinor: 25050, orders: 3 }, retain: { spendMinor: 20000, orders: 2 } },
  ],
});

const problem = (input: unknown, currency = "GBP") => {
  try {
    programFromFile(input, currency);
  } catch (error) {
    if (error instanceof ProgramFileError) return error.message;
    throw error;
  }
  return "accepted";
};

describe("program file", () => {
  test("spend is a decimal string in the shop currency, a threshold not used is null", () => {
    expect(programToFile(program, "GBP")).toEqual({
      window: { kind: "calendar-year" },
      combine: "all",
      graceDays: 14,
      tiers: [
        { id: "member", name: "Member", enter: { spend: null, orders: 1 }, retain: { spend: null, orders: 1 } },
        { id: "vip", name: "VIP", enter: { spend: "250.50", orders: 3 }, retain: { spend: "200.00", orders: 2 } },
      ],
    });
    expect(programToFile(program, "JPY").tiers[1]!.enter.spend).toBe("25050");
    expect(programToFile(program, "KWD").tiers[1]!.enter.spend).toBe("25.050");
  });

  test("property: what show prints, preview and apply read back unchanged, in any currency", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { maxLength: 50 }),
        fc.constantFrom("GBP", "JPY", "KWD", "USD"),
        (spends, currency) => {
          const shown = defaultProgram(spends, currency);
          expect(parseProgramFile(JSON.stringify(programToFile(shown, currency), null, 2), currency)).toEqual(shown);
        },
      ),
    );
  });

  test("combine is optional; every problem names its field", () => {
    const file = programToFile(program, "GBP");
    const { combine: _combine, ...withoutCombine } = file;
    expect(programFromFile(withoutCombine, "GBP").combine).toBe("any");
    const tier = (index: number, change: object) => ({
      ...file,
      tiers: file.tiers.map((t, i) => (i === index ? { ...t, ...change } : t)),
    });
    expect(problem(tier(1, { enter: { spend: 250.5, orders: 3 } }))).toBe(
      'tiers[1].enter.spend: expected an amount in GBP as a string, like "150.00", or null, not 250.5',
    );
    expect(problem(tier(1, { enter: { spend: "250.5", orders: 3 } }), "JPY")).toBe(
      'tiers[1].enter.spend: "250.5" is not an amount in JPY (like "150", at most 0 decimals)',
    );
    expect(problem(tier(1, { enter: { spend: "-5.00", orders: 3 } }))).toMatch(
      /^tiers\[1\]\.enter\.spend: "-5\.00" is not an amount in GBP/,
    );
    expect(problem(tier(0, { retain: undefined }))).toBe("tiers[0].retain: missing");
    expect(problem(tier(0, { badge: "star" }))).toBe("tiers[0].badge: unknown field");
    expect(problem(tier(1, { retain: { spend: "300.00", orders: 2 } }))).toBe(
      "tiers[1].retain.spend: the retain threshold cannot be above the enter threshold",
    );
    expect(problem(tier(1, { id: "VIP!" }))).toBe("tiers[1].id: tier ids are lower-case letters, digits, - and _");
    expect(problem(tier(1, { name: "member" }))).toBe('tiers[1].name: duplicate tier name "member"');
    expect(problem({ ...file, window: { kind: "weekly" } })).toMatch(
      /^window.kind: expected \{ "kind": "rolling", "days": 365 \}/,
    );
    expect(problem({ ...file, window: { kind: "rolling" } })).toBe("window.days: missing");
    expect(problem({ ...file, graceDays: 2.5 })).toBe("graceDays: expected a whole number of days");
    expect(problem({ ...file, tiers: [] })).toBe("tiers: needs at least one tier");
    expect(problem({ ...file, extra: 1 })).toBe("extra: unknown field");
    expect(problem([])).toMatch(/^\(the file\): expected a JSON object/);
    expect(() => parseProgramFile("{", "GBP")).toThrow(/^\(the file\): not JSON/);
  });
});
