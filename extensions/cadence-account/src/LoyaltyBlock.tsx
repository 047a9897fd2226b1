/** @jsxImportSource preact */
import type { Api } from "@shopify/ui-extensions/customer-account.profile.block.render";
import { useState } from "preact/hooks";
import { blockView, offerLink } from "./model";
import type { Line } from "./model";
import type { AccountData } from "./shopify-data";

// The "Your rewards" block: tier, progress to the next tier, the current offer with its reason, and "Why am I seeing
// this?" with the opt-out control, in Shopify's customer account components. The words are the theme block's
// (locales/*.json: the theme extension's `cadence` strings, kept equal by test/unit/extension/account-extension.test.ts).

export interface LoyaltyBlockProps extends AccountData {
  api: Pick<Api, "i18n">;
  /** Stores the shopper's choice (preferences.ts); null when this build cannot reach Cadence. */
  changePreferences: ((personalised: boolean) => Promise<boolean>) | null;
}

type Status = "stopped" | "resumed" | "failed";

export function LoyaltyBlock({ api, values, shop, changePreferences }: LoyaltyBlockProps) {
  const [optedOut, setOptedOut] = useState(values?.optedOut ?? false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status | null>(null);
  const { i18n } = api;
  const t = (line: Line) => i18n.translate(`cadence.${line.key}`, line.params);
  // money_without_trailing_zeros: whole amounts without decimals, as the theme block prints them.
  const money = (cents: number, currency: string) =>
    i18n.formatCurrency(cents / 100, {
      currency,
      ...(cents % 100 === 0 ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
    });
  // An opt-out changes the metafields once Cadence republishes (about a minute): until then the block shows the choice.
  const view = blockView(values && { ...values, optedOut }, shop, money);
  const link = view.offer ? offerLink(view.offer.cta.url, shop.storefrontUrl) : null;

  const toggle = async () => {
    if (!changePreferences) return;
    const personalised = optedOut;
    setBusy(true);
    const done = await changePreferences(personalised);
    setBusy(false);
    if (!done) return setStatus("failed");
    setOptedOut(!personalised);
    setStatus(personalised ? "resumed" : "stopped");
  };

  if (view.state === "guest" && !view.offer) return null;
  return (
    <s-section heading={t({ key: "account.heading" })}>
      <s-stack direction="block" gap="base">
        {view.tier ? <s-text type="strong">{t(view.tier)}</s-text> : null}
        {view.progress ? <s-paragraph>{t(view.progress)}</s-paragraph> : null}
        {view.offer ? (
          <s-stack direction="block" gap="small-200">
            {view.reason ? <s-text color="subdued">{t(view.reason)}</s-text> : null}
            <s-heading>{view.offer.headline}</s-heading>
            {view.offer.body ? <s-paragraph>{view.offer.body}</s-paragraph> : null}
            {view.offer.discountCode ? (
              <s-paragraph>
                {t({ key: "offer.code_label" })} <s-text type="strong">{view.offer.discountCode}</s-text>
              </s-paragraph>
            ) : null}
            {link ? <s-link href={link}>{view.offer.cta.label}</s-link> : null}
          </s-stack>
        ) : null}
        <s-details>
          <s-summary>{t({ key: "why.summary" })}</s-summary>
          <s-stack direction="block" gap="small-200">
            <s-paragraph>{t(view.why)}</s-paragraph>
            {view.preference && changePreferences ? (
              <s-button variant="secondary" loading={busy} onClick={() => void toggle()}>
                {t({ key: `preference.${view.preference}` })}
              </s-button>
            ) : null}
            {status ? <s-text>{t({ key: `preference.${status}` })}</s-text> : null}
          </s-stack>
        </s-details>
      </s-stack>
    </s-section>
  );
}
