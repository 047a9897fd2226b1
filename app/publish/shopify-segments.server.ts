import type { AdminClient } from "~/shopify-admin/client";
import { assertNoUserErrors } from "~/shopify-admin/errors";
import type { AdminUserError } from "~/shopify-admin/errors";
import { adminGraphqlFunction } from "~/shopify-admin/graphql-function";
import { APP_CUSTOMER_METAFIELD_DEFINITIONS } from "~/shopify-admin/operations/app-metafields";
import {
  SEGMENT_BY_ID,
  SEGMENT_CREATE,
  SEGMENT_DELETE,
  SEGMENT_UPDATE,
  SEGMENTS_BY_NAME,
} from "~/shopify-admin/operations/segments";
import type { Segment } from "~/shopify-admin/operations/segments";
import { ensureMetafieldDefinitions } from "./definitions";
import { metafieldsClient } from "./metafields-client";

// Native customer segments Cadence keeps in Shopify: the one restricting a Cadence-created code (discounts/) and the
// ones merchants ask for with "Use in Shopify" (native-segments/). A segment is found by the GID recorded the moment
// Shopify returned it; if that was never recorded (an answer lost after Shopify created it) or the merchant deleted it
// in Shopify's admin, by its name, which is chosen before creating. So nothing is created twice and nothing created
// goes unrecorded.

/** Cadence's setup, or the merchant's choice, stops the sync: shown as is, and not retried until something changes. */
export class ShopifySetupError extends Error {
  override name = "ShopifySetupError";
}

export interface SegmentTarget {
  /** The GID Cadence recorded, if any. */
  gid: string | null;
  name: string;
  /** Stores a GID (or null once deleted) the moment it is known. */
  remember(gid: string | null): Promise<void>;
}

/**
 * The namespace Shopify resolved `$app` to, read from Cadence's own definition of the metafield a query filters on. A
 * shop installed before that definition existed gets Cadence's definitions now (creating one that exists is a no-op).
 */
export async function appNamespace(client: AdminClient, key: string): Promise<string> {
  const find = async () =>
    (await client.request(APP_CUSTOMER_METAFIELD_DEFINITIONS)).metafieldDefinitions.nodes.find(
      (definition) => definition.key === key,
    );
  let definition = await find();
  if (!definition) {
    await ensureMetafieldDefinitions(metafieldsClient(adminGraphqlFunction(client)));
    definition = await find();
  }
  if (!definition)
    throw new ShopifySetupError(
      `Cadence's customer metafield "${key}" has no definition in Shopify, so no segment can filter on it.`,
    );
  return definition.namespace;
}

export async function findSegment(
  client: AdminClient,
  target: Pick<SegmentTarget, "gid" | "name">,
): Promise<Segment | null> {
  const byId = target.gid ? (await client.request(SEGMENT_BY_ID, { id: target.gid })).segment : null;
  // Shopify's search matches words, not whole names: the name is compared here.
  return (
    byId ??
    (await client.request(SEGMENTS_BY_NAME, { query: `name:${JSON.stringify(target.name)}` })).segments.nodes.find(
      (segment) => segment.name === target.name,
    ) ??
    null
  );
}

/** Creates the segment, or brings the one found in line with `query` and the target's name; resolves to its GID. */
export async function ensureSegment(client: AdminClient, target: SegmentTarget, query: string): Promise<string> {
  const existing = await findSegment(client, target);
  if (existing) {
    if (existing.id !== target.gid) await target.remember(existing.id);
    if (existing.query !== query || existing.name !== target.name) {
      const updated = (await client.request(SEGMENT_UPDATE, { id: existing.id, name: target.name, query }))
        .segmentUpdate;
      assertNoUserErrors(updated, SEGMENT_UPDATE.name);
    }
    return existing.id;
  }
  const created = (await client.request(SEGMENT_CREATE, { name: target.name, query })).segmentCreate;
  assertNoUserErrors(created, SEGMENT_CREATE.name);
  if (!created.segment) throw new ShopifySetupError("Shopify created the customer segment but did not return it.");
  await target.remember(created.segment.id);
  return created.segment.id;
}

/**
 * Deletes one object. A delete retried after a lost answer finds nothing left to delete, which Shopify reports as a
 * userError: that is done, not a failure, so an error counts only while the object still exists.
 */
export async function deleteObject(
  operationName: string,
  remove: () => Promise<{ userErrors: AdminUserError[] } | null | undefined>,
  stillThere: () => Promise<boolean>,
): Promise<void> {
  const deleted = await remove();
  if (deleted?.userErrors.length && (await stillThere())) assertNoUserErrors(deleted, operationName);
}

export async function deleteSegment(client: AdminClient, target: SegmentTarget): Promise<void> {
  const found = await findSegment(client, target);
  if (found)
    await deleteObject(
      SEGMENT_DELETE.name,
      async () => (await client.request(SEGMENT_DELETE, { id: found.id })).segmentDelete,
      async () => (await client.request(SEGMENT_BY_ID, { id: found.id })).segment !== null,
    );
  await target.remember(null);
}
