import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { proxyParams, signProxyQuery } from "~/storefront-proxy/sign";
import { API_SECRET, APP_URL, appUnderTest, installTestShop, webhookRequest } from "../support/app-under-test";
import type { AppUnderTest } from "../support/app-under-test";
import { orderBody } from "../support/webhook-payloads";

// Signatures are read strictly wherever Cadence verifies one: the webhook HMAC header must be exactly the canonical
// base64 of the digest, and the app-proxy signature exactly its hex. A valid signature with anything added, or
// spelled another way a lenient decoder would accept, is refused and nothing is stored.

const SHOP = "strict-signatures.myshopify.com";
let app: AppUnderTest;

beforeAll(async () => {
  app = await appUnderTest();
  await installTestShop(app, SHOP);
});

const digest = (body: string) => createHmac("sha256", API_SECRET).update(body).digest("base64");

/** An order whose digest's base64 has a character Node's decoder also accepts in its URL-safe form. */
function orderWithSlashOrPlus(): { id: string; body: string; hmac: string } {
  for (let n = 1; ; n += 1) {
    const id = String(9300000000 + n);
    const body = orderBody({ id });
    const hmac = digest(body);
    if (/[+/]/.test(hmac)) return { id, body, hmac };
  }
}

// The 44th character's last two bits are padding: flipping them gives another spelling of the same 32 bytes.
const otherPadding = (hmac: string) => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const last = alphabet.indexOf(hmac[42]!);
  return `${hmac.slice(0, 42)}${alphabet[last ^ 1]}=`;
};

describe("webhook HMAC header", () => {
  const { id, body, hmac } = orderWithSlashOrPlus();
  test.each([
    ["the valid digest followed by !!junk", `${hmac}!!junk`],
    ["the valid digest followed by more base64", `${hmac}AAAA`],
    ["the valid digest without its padding", hmac.replace(/=$/, "")],
    ["the valid digest in URL-safe base64", hmac.replaceAll("+", "-").replaceAll("/", "_")],
    ["the valid digest with other padding bits", otherPadding(hmac)],
  ])("%s is refused (401) and nothing is stored", async (_case, header) => {
    expect(Buffer.from(header, "base64").equals(Buffer.from(hmac, "base64"))).toBe(true); // what a lenient decoder sees
    const response = await app.handle(webhookRequest({ shop: SHOP, topic: "orders/create", body, hmac: header }));
    expect(response.status).toBe(401);
    expect(await app.prisma.order.count({ where: { shopifyId: id } })).toBe(0);
  });

  test("the exact header is accepted", async () => {
    expect((await app.handle(webhookRequest({ shop: SHOP, topic: "orders/create", body, hmac }))).status).toBe(200);
    expect(await app.prisma.order.count({ where: { shopifyId: id } })).toBe(1);
  });
});

describe("app-proxy signature", () => {
  test("a valid signature with junk appended, or in capitals, is refused (400)", async () => {
    const query = signProxyQuery(proxyParams(SHOP, "5001"), API_SECRET);
    const signature = new URLSearchParams(query).get("signature")!;
    for (const forged of [`${signature}!!junk`, `${signature}00`, signature.toUpperCase()]) {
      const response = await app.handle(
        new Request(`${APP_URL}/proxy/offer?${query.replace(signature, encodeURIComponent(forged))}`),
      );
      expect(response.status).toBe(400);
    }
    expect((await app.handle(new Request(`${APP_URL}/proxy/offer?${query}`))).status).toBe(200);
  });
});
