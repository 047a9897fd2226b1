import { SaveBar } from "@shopify/app-bridge-react";
import { Banner, Layout, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

// What every page that edits something shares: App Bridge's save bar while there are unsaved changes, and one banner
// when a save was refused. The save bar stays outside any <form>: a button inside a form submits it, so Discard would
// save what it was meant to throw away.

export function EditSaveBar({
  id,
  open,
  saving,
  onSave,
  onDiscard,
}: {
  id: string;
  open: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  return (
    <SaveBar id={id} open={open}>
      <button type="button" variant="primary" onClick={onSave} disabled={saving}>
        Save
      </button>
      <button type="button" onClick={onDiscard}>
        Discard
      </button>
    </SaveBar>
  );
}

/** The refusal of a save, in the merchant's words, in its own layout section unless `inline`; nothing when none. */
export function NotSavedBanner({
  title,
  reason,
  inline = false,
}: {
  title: string;
  reason: ReactNode;
  inline?: boolean;
}) {
  if (!reason) return null;
  const banner = (
    <Banner tone="critical" title={title}>
      <Text as="p">{reason}</Text>
    </Banner>
  );
  return inline ? banner : <Layout.Section>{banner}</Layout.Section>;
}
