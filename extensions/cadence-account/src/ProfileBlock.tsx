/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import type { Api } from "@shopify/ui-extensions/customer-account.profile.block.render";
import { render } from "preact";
import { LoyaltyBlock } from "./LoyaltyBlock";
import { canChangePreferences, changePreferences } from "./preferences";
import { loadAccount } from "./shopify-data";

// customer-account.profile.block.render: Shopify runs this module's default export in its extension sandbox, with the
// target's API as the global `shopify`, and shows what it renders into document.body. Data that cannot be read renders
// nothing: the block never guesses a tier or an offer.

export default async function extension(): Promise<void> {
  const api = (globalThis as unknown as { shopify: Api }).shopify;
  try {
    const data = await loadAccount(api, (url, init) => fetch(url, init));
    const change = canChangePreferences()
      ? (personalised: boolean) => changePreferences(api, (url, init) => fetch(url, init), personalised)
      : null;
    render(<LoyaltyBlock api={api} {...data} changePreferences={change} />, document.body);
  } catch (error) {
    console.warn("Cadence rewards: could not read the customer's rewards", error);
  }
}
