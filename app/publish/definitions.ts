import { metafieldDefinitionInputs } from "~/storefront-contract/metafields";
import type { MetafieldsSetClient } from "./metafields-client";

// Creates Cadence's metafield definitions (namespace $app, storefront PUBLIC_READ) before the first write.
// Idempotent: a definition that already exists (userError TAKEN) counts as done, once it has the customer-account
// access this version needs (a shop installed before the customer account block gets it granted here).
export async function ensureMetafieldDefinitions(
  client: MetafieldsSetClient,
): Promise<{ created: number; existing: number }> {
  let created = 0;
  let existing = 0;
  for (const definition of metafieldDefinitionInputs()) {
    const { userErrors } = await client.metafieldDefinitionCreate(definition);
    if (userErrors.length === 0) created += 1;
    else if (userErrors.every((error) => error.code === "TAKEN")) {
      existing += 1;
      const customerAccount = "customerAccount" in definition.access ? definition.access.customerAccount : "NONE";
      if (customerAccount !== "NONE") {
        const update = {
          ownerType: definition.ownerType,
          namespace: definition.namespace,
          key: definition.key,
          access: { customerAccount },
        };
        const updated = await client.metafieldDefinitionUpdate(update);
        if (updated.userErrors.length)
          throw new Error(
            `metafield definition ${definition.key}: ${updated.userErrors.map((error) => error.message).join("; ")}`,
          );
      }
    } else
      throw new Error(`metafield definition ${definition.key}: ${userErrors.map((error) => error.message).join("; ")}`);
  }
  return { created, existing };
}
