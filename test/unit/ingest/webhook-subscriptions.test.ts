import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, test } from "vitest";
import { TOPIC_HANDLERS } from "~/ingest/topics/registry";

// shopify.app.toml is what Shopify subscribes the app to; its comments are what a reviewer reads to find the code.
// Both must match the registry the webhook route dispatches through.

const TOML_PATH = "shopify.app.toml";
const text = readFileSync(TOML_PATH, "utf8");

interface Subscription {
  topics?: string[];
  compliance_topics?: string[];
  uri: string;
}
const subscriptions = (parse(text) as unknown as { webhooks: { subscriptions: Subscription[] } }).webhooks
  .subscriptions;
const topicsOf = (subscription: Subscription) => [
  ...(subscription.topics ?? []),
  ...(subscription.compliance_topics ?? []),
];

// Each subscription is preceded by "# handler: <file> <export> [<export>...] (optional words)".
const pointers = [
  ...text.matchAll(/^\s*# handler: (\S+) ([\w ]+?)(?: \(.*\))?\s*\n\s*\[\[webhooks\.subscriptions\]\]/gm),
].map((match) => ({ file: match[1]!, exports: match[2]!.trim().split(/\s+/) }));

describe("shopify.app.toml's webhook subscriptions", () => {
  test("subscribe to exactly the topics the registry handles, each once, at the webhook route", () => {
    const subscribed = subscriptions.flatMap(topicsOf);
    expect(new Set(subscribed).size).toBe(subscribed.length);
    expect([...subscribed].sort()).toEqual(Object.keys(TOPIC_HANDLERS).sort());
    for (const subscription of subscriptions) expect(subscription.uri).toBe("/webhooks");
    expect(readFileSync(path.join("app", "routes", "webhooks.tsx"), "utf8")).toMatch(/export const action/);
  });

  test("every subscription names the file and export that handle its topics, as the registry dispatches them", async () => {
    expect(pointers).toHaveLength(subscriptions.length);
    for (const [index, subscription] of subscriptions.entries()) {
      const pointer = pointers[index]!;
      const module = (await import(/* @vite-ignore */ path.resolve(pointer.file))) as Record<string, unknown>;
      for (const name of pointer.exports) expect(module[name], `${pointer.file} exports ${name}`).toBeDefined();
      const named = new Set(pointer.exports.map((name) => module[name]));
      for (const topic of topicsOf(subscription)) {
        expect(named.has(TOPIC_HANDLERS[topic]), `${topic} is handled by one of ${pointer.exports.join(", ")}`).toBe(
          true,
        );
      }
      const used = new Set(topicsOf(subscription).map((topic) => TOPIC_HANDLERS[topic]));
      for (const name of pointer.exports)
        expect(used.has(module[name] as never), `${name} handles one of ${topicsOf(subscription).join(", ")}`).toBe(
          true,
        );
    }
  });

  test("the file comments name the code that exists: the route, the HMAC check and the dispatcher", () => {
    const files = [...text.matchAll(/\b(app\/[\w./-]+\.tsx?)\b/g)].map((match) => match[1]!);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(() => readFileSync(file), file).not.toThrow();
    expect(text).not.toMatch(/authenticate\.webhook/);
  });
});
