import { describe, expect, test } from "vitest";
import { SET_TIER_FIELDS, SET_TIER_HANDLE } from "~/publish/flow/set-tier-request";
import { TRIGGER_KINDS, TRIGGERS } from "~/publish/flow/triggers";
import { readExtensions } from "./extension-files";
import type { Extension } from "./extension-files";

// The Flow extensions against Shopify's documented rules (shopify.dev/docs/apps/build/flow/triggers/reference and
// actions/reference, and Shopify CLI's own validation of them): handles, names, field types and keys. And against the
// code that sends the triggers and serves the action, so a renamed key cannot leave Flow with a field nobody fills.

const extensions = readExtensions();
const triggers = extensions.filter((extension) => extension.type === "flow_trigger");
const actions = extensions.filter((extension) => extension.type === "flow_action");

// Shopify CLI: the commerce objects a trigger or an action may reference, and the field types each supports.
const TRIGGER_REFERENCES = [
  "customer_reference",
  "order_reference",
  "product_reference",
  "company_reference",
  "company_contact_reference",
];
const TRIGGER_TYPES = ["boolean", "email", "single_line_text_field", "url", "number_decimal"];
const ACTION_REFERENCES = [...TRIGGER_REFERENCES, "marketing_activity_reference", "abandonment_reference"];
const ACTION_TYPES = [
  "boolean",
  "email",
  "multi_line_text_field",
  "number_integer",
  "single_line_text_field",
  "url",
  "number_decimal",
];

function handleProblems(handle: string): string[] {
  const problems: string[] = [];
  if (!handle) problems.push("empty");
  if (handle.length > 30) problems.push("over 30 characters");
  if (!/^[a-zA-Z0-9-]*$/.test(handle)) problems.push("characters other than letters, digits and hyphens");
  if (handle.startsWith("-") || handle.endsWith("-")) problems.push("starts or ends with a hyphen");
  return problems;
}

/** Flow's naming rules: sentence case, words separated by spaces, no punctuation. */
function nameProblems(name: string): string[] {
  const problems: string[] = [];
  if (!/^[A-Z][A-Za-z0-9]*( [A-Za-z0-9]+)*$/.test(name))
    problems.push("not words separated by single spaces, starting with a capital, without punctuation");
  // Sentence case: only the first word, and proper nouns (Cadence, Shopify), are capitalised.
  const capitalised = name
    .split(" ")
    .slice(1)
    .filter((word) => /^[A-Z]/.test(word) && !["Cadence", "Shopify", "Flow"].includes(word));
  if (capitalised.length) problems.push(`not sentence case: ${capitalised.join(", ")}`);
  return problems;
}

describe("every extension", () => {
  test("has a valid handle, unique in the app", () => {
    for (const extension of extensions)
      expect(handleProblems(extension.handle ?? extension.folder), extension.folder).toEqual([]);
    const handles = extensions.map((extension) => extension.handle ?? extension.folder);
    expect(new Set(handles).size).toBe(handles.length);
  });

  test("the checks catch what Shopify refuses", () => {
    expect(handleProblems("customer-tier-changed-in-cadence-app")).toContain("over 30 characters");
    expect(handleProblems("tier_changed")).toContain("characters other than letters, digits and hyphens");
    expect(handleProblems("-tier")).toContain("starts or ends with a hyphen");
    expect(nameProblems("Customer Tier Changed")).toEqual(["not sentence case: Tier, Changed"]);
    expect(nameProblems("Customer tier changed!")).toHaveLength(1);
  });
});

describe("Flow triggers", () => {
  test("one extension per trigger Cadence sends, with the same handle, name, description and fields", () => {
    expect(triggers.map((extension) => extension.handle).sort()).toEqual(
      TRIGGER_KINDS.map((kind) => TRIGGERS[kind].handle).sort(),
    );
    for (const kind of TRIGGER_KINDS) {
      const definition = TRIGGERS[kind];
      const extension = triggers.find((candidate) => candidate.handle === definition.handle) as Extension;
      expect(extension.folder).toBe(definition.handle);
      expect(extension.name).toBe(definition.name);
      expect(extension.description).toBe(definition.description);
      expect(extension.fields).toEqual([
        { type: "customer_reference" },
        ...definition.fields.map((field) => ({ type: field.type, key: field.key, description: field.description })),
      ]);
    }
  });

  test("names follow Flow's rule: object + past-tense verb, sentence case, no punctuation", () => {
    for (const extension of triggers) {
      expect(nameProblems(extension.name), extension.name).toEqual([]);
      // The object acted on (the customer, or their tier), then what happened to it, in the past tense.
      expect(extension.name, extension.name).toMatch(/^Customer (tier )?(changed|entered|left|became)( |$)/);
    }
  });

  test("fields: one customer reference, supported types, keys of letters and spaces, unique", () => {
    for (const extension of triggers) {
      expect(
        extension.fields.filter((field) => field.type === "customer_reference"),
        extension.handle,
      ).toHaveLength(1);
      for (const field of extension.fields) {
        if (TRIGGER_REFERENCES.includes(field.type)) {
          expect(
            Object.keys(field).filter((key) => !["type", "description", "required"].includes(key)),
            extension.handle,
          ).toEqual([]);
          continue;
        }
        expect(TRIGGER_TYPES, `${extension.handle}: ${field.type}`).toContain(field.type);
        expect(field.key, extension.handle).toMatch(/^[a-zA-Z][a-zA-Z ]*[a-zA-Z]$/);
        expect(
          Object.keys(field).filter((key) => !["type", "key", "description"].includes(key)),
          extension.handle,
        ).toEqual([]);
      }
      const keys = extension.fields.map((field) => field.key).filter(Boolean);
      expect(new Set(keys).size, extension.handle).toBe(keys.length);
    }
  });
});

describe("the Set loyalty tier action", () => {
  const action = actions.find((extension) => extension.handle === SET_TIER_HANDLE) as Extension;

  test("is the app's one action, named verb + object, with an HTTPS runtime URL on the route that serves it", () => {
    expect(actions.map((extension) => extension.handle)).toEqual([SET_TIER_HANDLE]);
    expect(action.name).toBe("Set loyalty tier");
    expect(nameProblems(action.name)).toEqual([]);
    const url = new URL(action.runtime_url ?? "");
    expect(url.protocol).toBe("https:");
    expect(url.pathname).toBe("/flow/actions/set-tier");
  });

  test("fields: a required customer reference, then keyed and named fields of supported types, as the route reads them", () => {
    expect(action.fields[0]).toEqual({ type: "customer_reference", required: true });
    const rest = action.fields.slice(1);
    for (const field of rest) {
      expect(ACTION_TYPES).toContain(field.type);
      expect(typeof field.key).toBe("string");
      expect(typeof field.name).toBe("string");
      expect(
        Object.keys(field).filter((key) => !["type", "key", "name", "description", "required"].includes(key)),
      ).toEqual([]);
    }
    expect(ACTION_REFERENCES).toContain(action.fields[0]!.type);
    expect(rest.map((field) => [field.key, field.required])).toEqual([
      [SET_TIER_FIELDS.tier, true],
      [SET_TIER_FIELDS.endDate, false],
      [SET_TIER_FIELDS.reason, false],
    ]);
  });
});
