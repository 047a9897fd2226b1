import { z } from "zod";
import { uninstallShop, updateSessionScopes } from "../facts/lifecycle";
import { PayloadError } from "../normalized";
import { topicHandler } from "./types";

/** app/uninstalled: sessions go (awaited, in the delivery's transaction) and the shop's sync stops. */
export const appUninstalled = topicHandler({
  parse: () => null,
  afterUninstall: true,
  async apply(tx, shop) {
    await uninstallShop(tx, shop.id, shop.domain);
    return { outcome: "applied" };
  },
});

const scopesSchema = z.object({ current: z.array(z.string()) });

/** app/scopes_update: keeps the stored sessions' scopes true, so the library re-authorises when they shrink. */
export const scopesUpdated = topicHandler({
  parse(payload) {
    const parsed = scopesSchema.safeParse(payload);
    if (!parsed.success) throw new PayloadError("app/scopes_update payload: current must be a list of scopes");
    return parsed.data.current;
  },
  async apply(tx, shop, scopes) {
    await updateSessionScopes(tx, shop.domain, scopes);
    return { outcome: "applied" };
  },
});
