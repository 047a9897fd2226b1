import { createHmac, randomUUID } from "node:crypto";
import { ConnectionDropped } from "./shopify-admin-mock";
import type { Resolver } from "./shopify-admin-mock";

// Shopify Flow's side of Cadence's triggers and action, for tests: the flowTriggerReceive resolver of the Admin mock
// (every aliased trigger of a request is received, in order, as Shopify runs a document's mutation fields), and Flow
// action requests signed the way Flow signs them (X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw body).

export interface ReceivedTrigger {
  handle: string;
  payload: Record<string, unknown>;
}

export interface FlowReceiver {
  received: ReceivedTrigger[];
  resolver: Resolver;
  /** The next request's triggers are received, then the connection drops before Shopify's answer reaches Cadence. */
  dropNextAnswer(): void;
  /** The next request's triggers at these indexes are refused with a userError (e.g. an unknown handle). */
  refuseNext(indexes: number[], message: string): void;
}

export function flowReceiver(): FlowReceiver {
  const received: ReceivedTrigger[] = [];
  let drop = false;
  let refuse: { indexes: Set<number>; message: string } | null = null;
  const resolver: Resolver = (variables) => {
    const data: Record<string, { userErrors: Array<{ field: string[] | null; message: string }> }> = {};
    for (let index = 0; `h${index}` in variables; index += 1) {
      if (refuse?.indexes.has(index)) {
        data[`t${index}`] = { userErrors: [{ field: ["handle"], message: refuse.message }] };
        continue;
      }
      received.push({
        handle: String(variables[`h${index}`]),
        payload: variables[`p${index}`] as Record<string, unknown>,
      });
      data[`t${index}`] = { userErrors: [] };
    }
    refuse = null;
    if (drop) {
      drop = false;
      throw new ConnectionDropped();
    }
    return data;
  };
  return {
    received,
    resolver,
    dropNextAnswer: () => void (drop = true),
    refuseNext: (indexes, message) => void (refuse = { indexes: new Set(indexes), message }),
  };
}

export interface FlowActionOptions {
  shop: string;
  properties: Record<string, unknown>;
  actionRunId?: string;
  handle?: string;
  /** Sign with another secret (or send this exact signature) to prove refusals. */
  secret?: string;
  signature?: string | null;
}

export const FLOW_ACTION_URL = "https://cadence.test/flow/actions/set-tier";

/** The body Flow POSTs to an action's runtime URL (shopify.dev/docs/apps/build/flow/actions/endpoints). */
export function flowActionBody(options: FlowActionOptions): string {
  return JSON.stringify({
    shop_id: "60000000001",
    shopify_domain: options.shop,
    action_run_id: options.actionRunId ?? randomUUID(),
    action_definition_id: "Set loyalty tier",
    handle: options.handle ?? "set-loyalty-tier",
    properties: options.properties,
  });
}

export function flowSignature(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export function flowActionRequest(options: FlowActionOptions & { apiSecret: string; body?: string }): Request {
  const body = options.body ?? flowActionBody(options);
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const signature =
    options.signature === undefined ? flowSignature(body, options.secret ?? options.apiSecret) : options.signature;
  if (signature !== null) headers["X-Shopify-Hmac-Sha256"] = signature;
  return new Request(FLOW_ACTION_URL, { method: "POST", body, headers });
}
