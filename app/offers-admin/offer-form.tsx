import { SectionCard } from "~/admin-ui/section-card";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useActionData, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { EditSaveBar, NotSavedBanner } from "~/admin-ui/edit-page";
import { BlockStack, Checkbox, FormLayout, InlineGrid, Select, Text, TextField } from "@shopify/polaris";
import type { OfferAction, AudienceChoice } from "~/admin-data/offers.server";
import type { OfferFormValues } from "~/admin-data/offer-form";

// The create and edit pages' form: controlled fields named after the offer's paths, so the action's field errors
// (keyed the same way) show on their input. Unsaved edits open App Bridge's save bar; a save shows a toast.

export const SAVE_BAR_ID = "offer-save-bar";

const DISCOUNT_OPTIONS = [
  { label: "No discount", value: "none" },
  { label: "An existing discount code", value: "existing_code" },
  { label: "A code Cadence creates for this audience", value: "cadence_code" },
];

const VALUE_OPTIONS = [
  { label: "Percentage off the order", value: "percentage" },
  { label: "Fixed amount off the order", value: "fixed_amount" },
];

/** The first error whose key is the field's path or lies under it ("audience.tierKey" shows on "audience"). */
function errorFor(errors: Record<string, string>, ...fields: string[]): string | undefined {
  for (const field of fields) {
    const key = Object.keys(errors).find((name) => name === field || name.startsWith(`${field}.`));
    if (key) return errors[key];
  }
  return undefined;
}

function audienceOptions(audiences: AudienceChoice[]) {
  const groups = [...new Set(audiences.map((choice) => choice.group))];
  return groups.map((group) => ({
    title: group,
    options: audiences.filter((choice) => choice.group === group).map(({ label, value }) => ({ label, value })),
  }));
}

/** Posts the form (or a bare intent), then toasts the outcome and follows it to where the offer now lives. */
export function useOfferAction(onSaved?: (result: Extract<OfferAction, { ok: true }>) => void) {
  const submit = useSubmit();
  const navigation = useNavigation();
  const actionData = useActionData<OfferAction>();
  const shopify = useAppBridge();
  const navigate = useNavigate();
  const handled = useRef<OfferAction>();
  useEffect(() => {
    // After the revalidation that follows the action: navigating while it is in flight would abort it.
    if (!actionData || navigation.state !== "idle" || handled.current === actionData) return;
    handled.current = actionData;
    if (actionData.ok) {
      shopify.toast.show(actionData.message);
      if (actionData.deleted) navigate("/app/offers");
      else onSaved?.(actionData);
    } else shopify.toast.show("Offer not saved: check the highlighted fields", { isError: true });
  }, [actionData, navigation.state, shopify, navigate, onSaved]);
  const post = useCallback(
    (intent: string, values?: OfferFormValues) => submit({ ...(values ?? {}), intent }, { method: "post" }),
    [submit],
  );
  return { post, busy: navigation.state !== "idle", errors: actionData && !actionData.ok ? actionData.errors : {} };
}

/** The form's values, held by the page so its own actions (Save, Activate) post what is on screen. */
export function useOfferValues(initial: OfferFormValues) {
  const [values, setValues] = useState(initial);
  useEffect(() => setValues(initial), [initial]);
  const dirty = useMemo(() => JSON.stringify(values) !== JSON.stringify(initial), [values, initial]);
  return { initial, values, setValues, dirty };
}

export function OfferForm({
  form: { initial, values, setValues, dirty },
  action: { post, busy, errors },
  audiences,
  currency,
}: {
  form: ReturnType<typeof useOfferValues>;
  action: ReturnType<typeof useOfferAction>;
  audiences: AudienceChoice[];
  /** The shop currency, in which amounts are typed. */
  currency: string;
}) {
  const field = (name: keyof OfferFormValues) => ({
    name,
    value: values[name],
    onChange: (value: string) =>
      // Guests are never held out (no stable identity): switching to them clears the holdout.
      setValues((current) => ({
        ...current,
        [name]: value,
        ...(name === "audience" && value === "guests" ? { holdoutPercent: "0" } : {}),
      })),
    error: errorFor(errors, name),
    autoComplete: "off",
  });
  const unknown = Object.keys(errors).filter(
    (key) => !(key in initial) && !/^(audience|discount|content\.image)/.test(key),
  );

  return (
    <BlockStack gap="400">
      <EditSaveBar
        id={SAVE_BAR_ID}
        editor={{ dirty, saving: busy, save: () => post("save", values), discard: () => setValues(initial) }}
      />
      <NotSavedBanner
        inline
        title="The offer was not saved"
        reason={
          Object.keys(errors).length > 0
            ? `Fix the highlighted fields and save again.${unknown.map((key) => ` ${errors[key]}.`).join("")}`
            : null
        }
      />
      <SectionCard title="Audience">
        <FormLayout>
          <TextField label="Offer name (only you see it)" {...field("name")} />
          <Select label="Who sees it" options={audienceOptions(audiences)} {...field("audience")} />
        </FormLayout>
      </SectionCard>
      <SectionCard title="Content">
        <FormLayout>
          <TextField label="Headline" maxLength={120} showCharacterCount {...field("content.headline")} />
          <TextField label="Body (optional)" multiline={3} maxLength={500} {...field("content.body")} />
          <FormLayout.Group>
            <TextField label="Button label" maxLength={40} {...field("content.ctaLabel")} />
            <TextField
              label="Button link"
              helpText='A path on your shop ("/collections/new") or an https:// address'
              {...field("content.ctaUrl")}
            />
          </FormLayout.Group>
          <TextField
            label="Image URL (optional)"
            type="url"
            helpText="An https:// address"
            {...field("content.image.url")}
            error={errorFor(errors, "content.image.url", "content.image")}
          />
          {values["content.image.url"] && (
            <FormLayout.Group>
              <TextField label="Image description (alt text)" {...field("content.image.alt")} />
              <TextField label="Image width (px)" type="number" {...field("content.image.width")} />
              <TextField label="Image height (px)" type="number" {...field("content.image.height")} />
            </FormLayout.Group>
          )}
        </FormLayout>
      </SectionCard>
      <SectionCard title="Discount">
        <FormLayout>
          {/* Errors under discount.* belong to their own fields; only one about the discount as a whole shows here. */}
          <Select
            label="Discount"
            options={DISCOUNT_OPTIONS}
            {...field("discount.kind")}
            error={errors["discount"] ?? errorFor(errors, "discount.kind")}
          />
          {values["discount.kind"] === "existing_code" && (
            <TextField label="Discount code" {...field("discount.code")} />
          )}
          {values["discount.kind"] === "cadence_code" && (
            <>
              <Text as="p" tone="subdued">
                Cadence creates the code in Shopify, restricted to this audience with a customer segment it keeps up to
                date; the offer is shown once the code exists.
              </Text>
              <FormLayout.Group>
                <Select label="The code takes off" options={VALUE_OPTIONS} {...field("discount.value.type")} />
                {values["discount.value.type"] === "fixed_amount" ? (
                  <TextField
                    label="Amount"
                    type="number"
                    min={0}
                    step={0.01}
                    prefix={currency}
                    helpText={`In ${currency}, off the whole order`}
                    {...field("discount.value.amount")}
                  />
                ) : (
                  <TextField
                    label="Percentage"
                    type="number"
                    min={0}
                    max={100}
                    step={0.01}
                    suffix="%"
                    helpText="Off the whole order"
                    {...field("discount.value.percent")}
                  />
                )}
              </FormLayout.Group>
              <TextField
                label="Minimum order subtotal (optional)"
                type="number"
                min={0}
                step={0.01}
                prefix={currency}
                helpText="Leave empty for no minimum"
                {...field("discount.minimumSubtotal")}
              />
              <Checkbox
                label="Once per customer"
                helpText="Each customer can redeem the code once"
                checked={values["discount.oncePerCustomer"] !== "false"}
                onChange={(checked) =>
                  setValues((current) => ({ ...current, "discount.oncePerCustomer": String(checked) }))
                }
                error={errorFor(errors, "discount.oncePerCustomer")}
              />
            </>
          )}
        </FormLayout>
      </SectionCard>
      <SectionCard title="Schedule and measurement">
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
          <TextField label="Starts (UTC date, optional)" type="date" {...field("startsAt")} />
          <TextField
            label="Ends (UTC date, optional; the offer stops at the start of this day)"
            type="date"
            {...field("endsAt")}
          />
          <TextField
            label="Priority"
            type="number"
            helpText="Higher wins when a shopper qualifies for several offers"
            {...field("priority")}
          />
          <TextField
            label="Holdout (%)"
            type="number"
            min={0}
            max={50}
            helpText="Share of the audience that does not see the offer, to measure it (0–50; guests: 0)"
            {...field("holdoutPercent")}
          />
        </InlineGrid>
      </SectionCard>
    </BlockStack>
  );
}
