import { Card, FormLayout, Select, TextField } from "@shopify/polaris";
import type { ProgramDraft } from "~/admin-data/loyalty-form";

// The loyalty program's rules above its tiers: the window spend and orders are counted over, whether a tier needs
// both or either, and how long a customer below a keep threshold has before moving down.

type Settings = Pick<ProgramDraft, "window" | "days" | "combine" | "graceDays">;

export function ProgramSettingsCard({
  draft,
  errors,
  onChange,
}: {
  draft: Settings;
  errors: Record<string, string>;
  onChange: (change: Partial<Settings>) => void;
}) {
  return (
    <Card>
      <FormLayout>
        <FormLayout.Group>
          <Select
            label="Qualifying window"
            options={[
              { label: "Rolling window of days", value: "rolling" },
              { label: "Lifetime", value: "lifetime" },
              { label: "Calendar year", value: "calendar-year" },
            ]}
            value={draft.window}
            onChange={(value) => onChange({ window: value as Settings["window"] })}
          />
          {draft.window === "rolling" ? (
            <TextField
              label="Window (days)"
              value={draft.days}
              onChange={(days) => onChange({ days })}
              error={errors.days}
              autoComplete="off"
              inputMode="numeric"
            />
          ) : null}
          <Select
            label="Qualify by"
            options={[
              { label: "Spend or orders (either is enough)", value: "any" },
              { label: "Spend and orders (both needed)", value: "all" },
            ]}
            value={draft.combine}
            onChange={(value) => onChange({ combine: value as Settings["combine"] })}
          />
          <TextField
            label="Grace period (days)"
            helpText="Before a customer below a tier's keep threshold moves down"
            value={draft.graceDays}
            onChange={(graceDays) => onChange({ graceDays })}
            error={errors.graceDays}
            autoComplete="off"
            inputMode="numeric"
          />
        </FormLayout.Group>
      </FormLayout>
    </Card>
  );
}
